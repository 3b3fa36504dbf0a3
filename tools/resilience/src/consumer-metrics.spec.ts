import { consumerReading } from './consumer-metrics';

describe('consumerReading', () => {
  it('sums assigned partitions over topics and applied events over consumers', () => {
    const exposition = [
      '# HELP keel_consumer_assigned_partitions Partitions assigned',
      '# TYPE keel_consumer_assigned_partitions gauge',
      'keel_consumer_assigned_partitions{topic="a"} 2',
      'keel_consumer_assigned_partitions{topic="b"} 1',
      '# TYPE keel_inbox_applied_total counter',
      'keel_inbox_applied_total{consumer="saga",topic="a"} 40',
      'keel_inbox_applied_total{consumer="saga",topic="b"} 2',
    ].join('\n');
    expect(consumerReading(exposition)).toEqual({
      assignmentExported: true,
      assignedPartitions: 3,
      appliedEvents: 42,
    });
  });

  it('tells a gauge at zero (exported, nothing assigned) from a service that does not export it', () => {
    const exported =
      '# TYPE keel_consumer_assigned_partitions gauge\nkeel_consumer_assigned_partitions{topic="a"} 0';
    expect(consumerReading(exported)).toMatchObject({ assignmentExported: true, assignedPartitions: 0 });
    expect(consumerReading('# TYPE keel_inbox_applied_total counter\n')).toEqual({
      assignmentExported: false,
      assignedPartitions: 0,
      appliedEvents: 0,
    });
  });
});
