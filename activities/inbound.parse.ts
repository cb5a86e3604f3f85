/**
 * Turns a message as the IMAP server holds it into what the product keeps (docs/inbound-mail.md): text only
 * (HTML is converted to plain text by mailparser and never stored or shown as HTML), attachments of the
 * allowed types within the size limit (the others listed as refused), the threading headers, whether a machine wrote it, and the receiving server's
 * authentication verdict, shown beside the sender rather than trusted.
 */
import { convert } from 'html-to-text';
import { simpleParser, type AddressObject, type HeaderValue, type ParsedMail } from 'mailparser';
import { DEFAULT_ATTACHMENT_MAX_BYTES, judgeAttachment } from '../domain/inbound-attachments';
import { MAX_STORED_TEXT, isAutomatic, suggestionFor } from '../domain/inbound-mail';
import type { AttachmentBytes, AttachmentInfo, IncomingMail } from '../db/repositories';

/** Messages larger than this are recorded from their headers alone, with a note for staff. */
export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** Attachments listed per message at most; the rest are counted in the note. */
const MAX_LISTED_ATTACHMENTS = 50;

/** Where a message was read from. */
export interface MessagePlace {
  mailbox: string;
  uidValidity: number;
  uid: number;
  /** Its size on the server, in bytes. */
  size: number;
}

const headerText = (value: HeaderValue | undefined): string | null => {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join(', ');
  if (typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value;
  if (typeof value === 'object' && 'text' in value && typeof value.text === 'string') return value.text;
  return null;
};

const firstAddress = (address: AddressObject | AddressObject[] | undefined) => {
  const list = Array.isArray(address) ? address : address ? [address] : [];
  return list.flatMap((a) => a.value).find((v) => v.address) ?? null;
};

/**
 * HTML mail as plain text (mailparser leaves `text` empty when a message has only HTML): scripts, styles
 * and images dropped, link targets left out, so nothing of the HTML is ever shown as HTML or fetched.
 */
const htmlAsText = (html: string): string =>
  convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { ignoreHref: true } },
    ],
  });

/** PostgreSQL text cannot hold NUL: a message carrying one would otherwise stop its mailbox for good. */
const clean = (text: string): string => text.replaceAll('\u0000', '');

const cut = (text: string): string =>
  text.length <= MAX_STORED_TEXT
    ? text
    : `${text.slice(0, MAX_STORED_TEXT)}\n[… cut: the message was longer]`;

/**
 * Reads one message. `headersOnly` when only its headers were fetched (a message over MAX_MESSAGE_BYTES);
 * a message mailparser cannot read at all is recorded with the reason instead of failing the reader.
 * Attachments of an allowed type within `attachmentMaxBytes` are kept (their bytes in `files`), the others
 * listed as refused with the reason.
 */
export async function readMail(
  source: Buffer,
  place: MessagePlace,
  headersOnly = false,
  attachmentMaxBytes = DEFAULT_ATTACHMENT_MAX_BYTES,
): Promise<IncomingMail> {
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(source, {
      skipTextToHtml: true,
      skipImageLinks: true,
      maxHtmlLengthToParse: 2_000_000,
    });
  } catch (error) {
    return {
      ...place,
      messageId: null,
      fromAddress: '',
      fromName: null,
      toAddress: '',
      subject: '',
      text: '',
      inReplyTo: null,
      references: [],
      automatic: false,
      authentication: null,
      attachments: [],
      files: [],
      suggestion: null,
      problem: `The message could not be read (${error instanceof Error ? error.message : String(error)}).`,
      at: new Date(),
    };
  }
  const headers = parsed.headers;
  const from = firstAddress(parsed.from);
  const to = firstAddress(parsed.to);
  const references = (
    typeof parsed.references === 'string' ? parsed.references.split(/\s+/) : (parsed.references ?? [])
  ).filter(Boolean);
  const files: AttachmentBytes[] = [];
  const listed: AttachmentInfo[] = parsed.attachments.slice(0, MAX_LISTED_ATTACHMENTS).map((a, n) => {
    const name = clean(a.filename ?? 'attachment').slice(0, 200);
    const verdict = judgeAttachment(
      { name, declaredType: a.contentType, bytes: a.content },
      attachmentMaxBytes,
    );
    if (!verdict.kept)
      return {
        name,
        size: a.size,
        type: clean(a.contentType).slice(0, 100),
        kept: false,
        refused: verdict.reason,
      };
    files.push({ n, bytes: a.content });
    return { name, size: a.size, type: verdict.type, kept: true };
  });
  const notes: string[] = [];
  if (headersOnly)
    notes.push(
      `The message is ${(place.size / 1024 / 1024).toFixed(1)} MB, over the ${MAX_MESSAGE_BYTES / 1024 / 1024} MB limit: only its headers were read.`,
    );
  if (parsed.attachments.length > MAX_LISTED_ATTACHMENTS)
    notes.push(`${parsed.attachments.length - MAX_LISTED_ATTACHMENTS} more attachments are not listed.`);
  const subject = clean(parsed.subject ?? '').slice(0, 500);
  const plain =
    parsed.text?.trim() || (typeof parsed.html === 'string' ? htmlAsText(parsed.html).trim() : '');
  const text = cut(clean(plain));
  return {
    ...place,
    messageId: parsed.messageId ? clean(parsed.messageId).slice(0, 500) : null,
    fromAddress: (from?.address ?? '').toLowerCase(),
    fromName: from?.name ? clean(from.name).slice(0, 200) : null,
    toAddress: to?.address ?? '',
    subject,
    text,
    inReplyTo: parsed.inReplyTo ?? null,
    references: references.slice(-50),
    automatic: isAutomatic({
      autoSubmitted: headerText(headers.get('auto-submitted')),
      precedence: headerText(headers.get('precedence')),
      contentType: headerText(headers.get('content-type')),
      returnPath: headers.has('return-path') ? (headerText(headers.get('return-path')) ?? '') : null,
      from: from?.address ?? null,
      autoreplyHeader: headers.has('x-autoreply') || headers.has('x-autorespond'),
    }),
    authentication: clean(headerText(headers.get('authentication-results')) ?? '').slice(0, 1000) || null,
    attachments: headersOnly ? [] : listed,
    files: headersOnly ? [] : files,
    suggestion: suggestionFor(subject, text),
    problem: notes.length ? notes.join(' ') : null,
    // When it was taken, not its Date header: the sender writes that, and a conversation is ordered by it.
    at: new Date(),
  };
}
