import { invalidField } from './domain.error';

/**
 * The one place where every string and null the API accepts is checked, after the DTO's own validation:
 * text must be valid Unicode that PostgreSQL can store (no NUL, no unpaired UTF-16 surrogate) and free of
 * control characters, except line breaks and tabs in fields marked `@MultiLine()`; `null` is accepted only
 * where the OpenAPI description says the field is nullable. Nothing that PostgreSQL would refuse can reach
 * a repository or a workflow past this point.
 */
const MULTILINE_KEY = 'oms:multiline';
/**
 * Where `@ApiProperty()` keeps a property's options (`swagger/apiModelProperties`): @nestjs/swagger 12 is an
 * ES module whose package exports only its root, which does not export this key, so it is named here;
 * test/hostile-input.spec.ts fails if it ever moves (a nullable field would be refused its null).
 */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

/** Marks a free-text field (notes, comments, reasons, addresses) in which line breaks and tabs are allowed. */
export function MultiLine(): PropertyDecorator {
  return (target, property) => Reflect.defineMetadata(MULTILINE_KEY, true, target, property);
}

/** What is wrong with a piece of text, or null when it is acceptable. */
export function textProblem(value: string, multiline: boolean): string | null {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = value.charCodeAt(index + 1);
      if (code > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff))
        return 'must be valid Unicode (it contains an unpaired surrogate)';
      index++;
      continue;
    }
    if (code === 0) return 'must not contain the NUL character';
    const lineBreakOrTab = code === 0x09 || code === 0x0a || code === 0x0d;
    if (lineBreakOrTab && multiline) continue;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
      const hex = code.toString(16).toUpperCase().padStart(4, '0');
      return lineBreakOrTab
        ? 'must be a single line (no line breaks or tabs)'
        : `must not contain control characters (U+${hex})`;
    }
  }
  return null;
}

interface PropertyInfo {
  multiline: boolean;
  nullable: boolean;
}

function propertyInfo(owner: object | null, key: string): PropertyInfo {
  // Plain objects (free-form maps) have no declared properties: their values are single-line and non-null.
  if (owner === null || Object.getPrototypeOf(owner) === Object.prototype)
    return { multiline: false, nullable: false };
  const swagger = Reflect.getMetadata(API_MODEL_PROPERTIES, owner, key) as { nullable?: boolean } | undefined;
  return {
    multiline: Reflect.getMetadata(MULTILINE_KEY, owner, key) === true,
    nullable: swagger?.nullable === true,
  };
}

function check(value: unknown, path: string, info: PropertyInfo): void {
  if (value === null) {
    if (!info.nullable && path) throw invalidField(path, 'must not be null');
    return;
  }
  if (typeof value === 'string') {
    const problem = textProblem(value, info.multiline);
    if (problem) throw invalidField(path || 'value', problem);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item: unknown, index) => check(item, `${path}.${index}`, { ...info, nullable: false }));
    return;
  }
  if (typeof value === 'object' && !(value instanceof Date)) checkObject(value, path);
}

function checkObject(value: object, path: string): void {
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    const problem = textProblem(key, false);
    if (problem) throw invalidField(at, `is a field name that ${problem}`);
    check(item, at, propertyInfo(value, key));
  }
}

/**
 * Before validation: text that no validator may even see (unpaired surrogates make some of them throw), in
 * any field, whatever its rules; throws a 400 naming the field.
 */
export function checkRawText(value: unknown, path = ''): void {
  if (typeof value === 'string') {
    const problem = textProblem(value, true);
    if (problem && !problem.startsWith('must not contain control'))
      throw invalidField(path || 'value', problem);
  } else if (Array.isArray(value)) {
    value.forEach((item: unknown, index) => checkRawText(item, path ? `${path}.${index}` : String(index)));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) checkRawText(item, path ? `${path}.${key}` : key);
  }
}

/** Checks a validated request body or query (a DTO instance or plain value); throws a 400 naming the field. */
export function checkInputBoundary(value: unknown): void {
  if (value !== null && typeof value === 'object') checkObject(value, '');
  else check(value, '', { multiline: false, nullable: true });
}

/** Deepest nesting of arrays and objects accepted in a JSON body; real requests need four or five. */
export const MAX_JSON_DEPTH = 32;

/** The nesting depth of a JSON text, counted without parsing it (so a hostile body costs one pass). */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return deepest;
}
