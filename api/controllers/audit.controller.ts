import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OVERSEERS, Roles } from '../auth/roles.decorator';
import { AuditPageDto, AuditQueryDto } from '../dtos/audit.dto';
import { AuditService } from '../services/audit.service';
import { ApiOp } from '../openapi/decorators';

@ApiTags('audit')
@Roles(...OVERSEERS)
@Controller('audit')
export class AuditController {
  constructor(private readonly service: AuditService) {}

  @Get()
  @ApiOp('listAuditRecords', 'List changes made outside workflows')
  @ApiOkResponse({
    type: AuditPageDto,
    description: 'Changes made outside workflows, with who, when, before and after.',
  })
  list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.service.list(query);
  }
}
