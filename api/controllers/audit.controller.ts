import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OVERSEERS, Roles } from '../auth/roles.decorator';
import { AuditPageDto, AuditQueryDto } from '../dtos/audit.dto';
import { AuditService } from '../services/audit.service';

@ApiTags('audit')
@Roles(...OVERSEERS)
@Controller('audit')
export class AuditController {
  constructor(private readonly service: AuditService) {}

  @Get()
  @ApiOkResponse({
    type: AuditPageDto,
    description: 'Changes made outside workflows, with who, when, before and after.',
  })
  list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.service.list(query);
  }
}
