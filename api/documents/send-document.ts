import { StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import type { RenderedDocument } from '../services/document.service';

/** A rendered document as the answer: HTML as a string; PDF as a file with its name. */
export function sendDocument(response: Response, document: RenderedDocument): string | StreamableFile {
  if (typeof document.body === 'string') {
    response.type(document.contentType);
    return document.body;
  }
  return new StreamableFile(document.body, {
    type: document.contentType,
    disposition: `inline; filename="${document.filename}"`,
  });
}
