import { Body, Controller, Get, HttpCode, Param, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '../../domain/order-import';
import { CurrentActor } from '../auth/actor.decorator';
import { OPERATORS, Roles } from '../auth/roles.decorator';
import { ImportDto } from '../dtos/import.dto';
import { EmptyDto } from '../dtos/order.dto';
import { ApiErrors, ApiOp } from '../openapi/decorators';
import { ImportService, type UploadedFile as Upload } from '../services/import.service';

@ApiTags('imports')
@Controller('imports')
export class ImportController {
  constructor(private readonly service: ImportService) {}

  @Post('orders')
  @ApiOp(
    'previewOrderImport',
    'Upload a spreadsheet of order lines and check it',
    'CSV (UTF-8, with or without BOM) or XLSX (its first sheet; formula cells as their cached values, never ' +
      'evaluated), one order line per row, grouped into orders by `externalRef`; columns ' +
      '`externalRef, customer, sku, quantity` and optional `notes` (see docs/intake.md). Every row is checked ' +
      'and each problem named by row and field; nothing but the preview is written until commit.',
  )
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', description: 'The CSV or XLSX file.' } },
    },
  })
  @ApiCreatedResponse({ type: ImportDto, description: 'The preview.' })
  @ApiErrors(
    [
      400,
      `No file, an unreadable CSV or XLSX workbook, a header without the required columns, or more than ${MAX_IMPORT_ROWS} rows.`,
    ],
    [413, `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`],
    [415, 'The file is neither UTF-8 CSV nor XLSX.'],
  )
  @Roles(...OPERATORS)
  // Browsers send the file's name as UTF-8 bytes; multer would read them as Latin-1 (订单.csv → è®¢å.csv).
  @UseInterceptors(
    FileInterceptor('file', {
      limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 10 },
      defParamCharset: 'utf8',
    }),
  )
  preview(@UploadedFile() file: Upload | undefined, @CurrentActor() actor: Actor): Promise<ImportDto> {
    return this.service.previewFile(file, actor);
  }

  @Get(':id')
  @ApiOp('getImport', 'Read an import', 'Its preview, and the progress and results of its commit.')
  @ApiOkResponse({ type: ImportDto })
  @ApiErrors(404)
  @Roles(...OPERATORS)
  get(@Param('id') id: string): Promise<ImportDto> {
    return this.service.get(id);
  }

  @Post(':id/commit')
  @HttpCode(202)
  @ApiOp(
    'commitImport',
    "Create an import's valid orders",
    'Starts creating them through the normal order path, each its own workflow, idempotently by ' +
      '`externalRef` (an order whose reference was already imported is not created again); answers at once ' +
      'with status `committing`. Committing again changes nothing.',
  )
  @ApiAcceptedResponse({ type: ImportDto })
  @ApiErrors(404)
  @Roles(...OPERATORS)
  commit(@Param('id') id: string, @Body() _dto: EmptyDto, @CurrentActor() actor: Actor): Promise<ImportDto> {
    return this.service.commit(id, actor);
  }
}
