/**
 * Which attachments of incoming mail are kept (docs/inbound-mail.md, "Attachments"): an allow-list of types
 * (images, PDF, CSV, XLSX, plain text), each recognised by its content as well as its name and declared
 * type, under a size limit. Anything else is recorded as refused, with the reason, and its bytes dropped.
 */

/** The per-attachment limit when OMS_INBOUND_ATTACHMENT_MAX_BYTES is not set. */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;

/** The types kept, by the Content-Type they are served with. */
export const KEPT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/plain',
] as const;
export type KeptType = (typeof KEPT_TYPES)[number];

/** The types an order draft can be read from (through the import parser). */
export const SPREADSHEET_TYPES: readonly KeptType[] = [
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];

const BY_EXTENSION: Record<string, KeptType> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  txt: 'text/plain',
};

/** Declared types that mean the same as a kept one (what mail programs send for a CSV file, say). */
const ALIASES: Record<string, KeptType> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'text/comma-separated-values': 'text/csv',
  'application/csv': 'text/csv',
  'text/x-csv': 'text/csv',
};

/** Declared types that say nothing: the name's extension decides then. */
const UNSPECIFIC = new Set([
  '',
  'application/octet-stream',
  'application/x-download',
  'application/vnd.ms-excel',
]);

const startsWith = (bytes: Buffer, ...signature: number[]) =>
  bytes.length >= signature.length && signature.every((byte, index) => bytes[index] === byte);

/** Whether the bytes are what the type says (a script called `photo.png` is not kept). */
function contentIs(type: KeptType, bytes: Buffer): boolean {
  switch (type) {
    case 'image/png':
      return startsWith(bytes, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    case 'image/jpeg':
      return startsWith(bytes, 0xff, 0xd8, 0xff);
    case 'image/gif':
      return (
        bytes.subarray(0, 6).toString('latin1') === 'GIF87a' ||
        bytes.subarray(0, 6).toString('latin1') === 'GIF89a'
      );
    case 'image/webp':
      return (
        bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
        bytes.subarray(8, 12).toString('latin1') === 'WEBP'
      );
    case 'application/pdf':
      return bytes.subarray(0, 5).toString('latin1') === '%PDF-';
    case 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
      return startsWith(bytes, 0x50, 0x4b, 0x03, 0x04);
    case 'text/csv':
    case 'text/plain':
      // Text has no NUL bytes (UTF-16 text does: the import refuses that anyway).
      return !bytes.includes(0);
  }
}

/** The verdict on one attachment: kept as `type`, or refused with the reason. */
export type AttachmentVerdict = { kept: true; type: KeptType } | { kept: false; reason: string };

/**
 * Decides whether an attachment is kept: its type from its declared Content-Type (or, when that says
 * nothing specific, its name's extension) must be on the allow-list, its content must be of that type,
 * and it must be at most `maxBytes`.
 */
export function judgeAttachment(
  attachment: { name: string; declaredType: string; bytes: Buffer },
  maxBytes: number,
): AttachmentVerdict {
  const declared = attachment.declaredType.trim().toLowerCase().split(';')[0]!.trim();
  const extension = /\.([a-z0-9]{1,8})$/i.exec(attachment.name.trim())?.[1]?.toLowerCase() ?? '';
  const byName = BY_EXTENSION[extension];
  const type: KeptType | undefined = (KEPT_TYPES as readonly string[]).includes(declared)
    ? (declared as KeptType)
    : (ALIASES[declared] ?? (UNSPECIFIC.has(declared) ? byName : undefined));
  if (!type)
    return {
      kept: false,
      reason: `the type ${declared || 'unknown'} is not kept: only images (PNG, JPEG, GIF, WebP), PDF, CSV, XLSX and plain text are`,
    };
  if (attachment.bytes.length > maxBytes)
    return {
      kept: false,
      reason: `larger than the ${formatBytes(maxBytes)} kept per attachment`,
    };
  if (!contentIs(type, attachment.bytes))
    return { kept: false, reason: `its content is not ${type}, as its type or name says` };
  return { kept: true, type };
}

/** `5 MB`, `512 KB`, `100 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MB`;
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
