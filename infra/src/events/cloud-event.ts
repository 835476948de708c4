import { randomUUID } from 'node:crypto';

/** CloudEvents 1.0, structured JSON mode. */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  dataschema: string;
  data: T;
}

export const SERVICES = ['org', 'recognition', 'reporting', 'awards'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** `vn.xhht.<service>.<aggregate>.<past-tense-verb>.v<N>` */
export const EVENT_TYPE_PATTERN = /^vn\.xhht\.(org|recognition|reporting|awards)\.[a-z][a-z0-9-]*\.[a-z][a-z-]*\.v[1-9][0-9]*$/;

export const eventSchemaUri = (type: string) => `urn:xhht:event-schema:${type}`;

export function serviceOfEventType(type: string): ServiceName {
  const service = type.split('.')[2];
  if (!SERVICES.includes(service as ServiceName)) throw new Error(`Not an XHHT event type: ${type}`);
  return service as ServiceName;
}

export function newEvent<T>(type: string, subject: string, data: T, time: Date = new Date()): CloudEvent<T> {
  if (!EVENT_TYPE_PATTERN.test(type)) throw new Error(`Malformed event type ${type}`);
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: `/xhht/${serviceOfEventType(type)}`,
    type,
    time: time.toISOString(),
    subject,
    datacontenttype: 'application/json',
    dataschema: eventSchemaUri(type),
    data,
  };
}
