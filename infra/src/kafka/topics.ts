import type { ServiceName } from '../events/cloud-event';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  /** Kafka topic configs; events are kept long enough for a new partner to replay. */
  configEntries?: { name: string; value: string }[];
}

/** One topic per producing service; message key = aggregate id, so one aggregate keeps its order. */
export const eventTopic = (service: ServiceName) => `xhht.${service}.events`;
/** Where a service's consumers put what they cannot process, with the reason in the headers. */
export const deadLetterTopic = (service: ServiceName) => `xhht.${service}.dlt`;

/** The consumer group through which a service keeps its replica of org's hierarchy and participants. */
export const hierarchyConsumerGroup = (service: ServiceName) => `xhht.${service}.hierarchy`;

export const EVENT_TOPIC_PARTITIONS = 6;

/** The topics a service owns: its event stream and its dead-letter topic. */
export function topicsOwnedBy(service: ServiceName): TopicSpec[] {
  return [
    {
      topic: eventTopic(service),
      numPartitions: EVENT_TOPIC_PARTITIONS,
      // kept forever: a consumer can rebuild its replica from the topic alone
      configEntries: [{ name: 'retention.ms', value: '-1' }],
    },
    {
      topic: deadLetterTopic(service),
      numPartitions: 1,
      configEntries: [{ name: 'retention.ms', value: String(90 * 24 * 3600 * 1000) }],
    },
  ];
}
