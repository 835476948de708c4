import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { EVENT_TYPE_PATTERN, eventSchemaUri, type CloudEvent } from './cloud-event';

/** Where the event catalog lives: schema/events at the repository root unless EVENT_SCHEMA_DIR says otherwise. */
export function eventSchemaDir(): string {
  return process.env.EVENT_SCHEMA_DIR ?? path.resolve(__dirname, '../../../schema/events');
}

const envelopeSchema = {
  type: 'object',
  required: ['specversion', 'id', 'source', 'type', 'time', 'subject', 'datacontenttype', 'dataschema', 'data'],
  properties: {
    specversion: { const: '1.0' },
    id: { type: 'string', format: 'uuid' },
    source: { type: 'string', pattern: '^/xhht/(org|recognition|reporting|awards)$' },
    type: { type: 'string', pattern: EVENT_TYPE_PATTERN.source },
    time: { type: 'string', format: 'date-time' },
    subject: { type: 'string', minLength: 1 },
    datacontenttype: { const: 'application/json' },
    dataschema: { type: 'string' },
    data: {},
  },
};

export class EventValidationError extends Error {
  constructor(
    message: string,
    readonly eventType?: string,
  ) {
    super(message);
  }
}

/**
 * Every event type's JSON Schema, loaded from the catalog. Producers validate before writing
 * to the outbox; consumers validate before handling. An unknown type is an error for both.
 */
export class EventCatalog {
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly envelope: ValidateFunction;

  constructor(dir: string = eventSchemaDir()) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    ajv.addKeyword('x-event-type');
    this.envelope = ajv.compile(envelopeSchema);
    if (!existsSync(dir)) throw new Error(`Event catalog not found at ${dir}`);
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const schema = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { $id?: string; 'x-event-type'?: string };
      const type = schema['x-event-type'];
      if (!type || `${type}.json` !== file) throw new Error(`${file}: x-event-type must name the file`);
      if (schema.$id !== eventSchemaUri(type)) throw new Error(`${file}: $id must be ${eventSchemaUri(type)}`);
      this.validators.set(type, ajv.compile(schema));
    }
  }

  get types(): string[] {
    return [...this.validators.keys()];
  }

  has(type: string): boolean {
    return this.validators.has(type);
  }

  /** Throws EventValidationError naming the first problems when the event is not what the catalog says. */
  validate(event: unknown): asserts event is CloudEvent {
    if (!this.envelope(event)) {
      throw new EventValidationError(`invalid CloudEvent envelope: ${this.describe(this.envelope)}`);
    }
    const e = event as CloudEvent;
    const validator = this.validators.get(e.type);
    if (!validator) throw new EventValidationError(`unknown event type ${e.type}`, e.type);
    if (e.dataschema !== eventSchemaUri(e.type)) {
      throw new EventValidationError(`dataschema must be ${eventSchemaUri(e.type)}`, e.type);
    }
    if (!validator(e.data)) throw new EventValidationError(`invalid data for ${e.type}: ${this.describe(validator)}`, e.type);
  }

  private describe(v: ValidateFunction): string {
    return (v.errors ?? [])
      .slice(0, 5)
      .map((err) => `${err.instancePath || '/'} ${err.message ?? ''}`.trim())
      .join('; ');
  }
}
