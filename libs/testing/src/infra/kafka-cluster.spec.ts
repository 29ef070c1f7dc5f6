import { serverProperties } from './kafka-config';
import { KafkaCluster, localBrokerCount } from './kafka-cluster';
import { kafkaPaths } from './paths';
import { defaultReplicationFactor, minInsyncReplicasFor } from './topics';

function properties(text: string): Map<string, string> {
  return new Map(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
  );
}

describe('multi-broker local Kafka', () => {
  const paths = kafkaPaths('4.1.1');

  it('keeps the single broker as it was: node 1, its own voter, everything at 1 replica', () => {
    const p = properties(serverProperties(paths));
    expect(p.get('node.id')).toBe('1');
    expect(p.get('controller.quorum.voters')).toBe('1@127.0.0.1:9093');
    expect(p.get('offsets.topic.replication.factor')).toBe('1');
    expect(p.get('min.insync.replicas')).toBe('1');
  });

  it('makes each node of a 3-node cluster a voter of the same quorum, with RF 3 and min.insync.replicas 2', () => {
    const voters = '1@127.0.0.1:19192,2@127.0.0.1:19193,3@127.0.0.1:19194';
    const p = properties(
      serverProperties(
        paths,
        { host: '127.0.0.1', port: 19093, controllerPort: 19193 },
        {
          nodeId: 2,
          voters,
          replicationFactor: 3,
          minInsyncReplicas: 2,
        },
      ),
    );
    expect(p.get('node.id')).toBe('2');
    expect(p.get('controller.quorum.voters')).toBe(voters);
    expect(p.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:19093');
    for (const key of [
      'offsets.topic.replication.factor',
      'transaction.state.log.replication.factor',
      'default.replication.factor',
    ]) {
      expect([key, p.get(key)]).toEqual([key, '3']);
    }
    for (const key of ['min.insync.replicas', 'transaction.state.log.min.isr'])
      expect([key, p.get(key)]).toEqual([key, '2']);
  });

  it('gives each node its own ports and directory and names all of them as voters', () => {
    const cluster = new KafkaCluster({
      size: 3,
      home: '/tmp/pacer-cluster-spec',
      brokerPorts: [19092, 19093, 19094],
      controllerPorts: [19192, 19193, 19194],
    });
    expect(cluster.brokers).toEqual(['127.0.0.1:19092', '127.0.0.1:19093', '127.0.0.1:19094']);
    expect(new Set(cluster.nodes.map((n) => n.paths.dataDir)).size).toBe(3);
    expect(cluster.nodes.every((n) => n.paths.dataDir.startsWith('/tmp/pacer-cluster-spec/node-'))).toBe(
      true,
    );
    expect(
      () => new KafkaCluster({ size: 3, home: '/tmp/x', brokerPorts: [1, 2], controllerPorts: [3, 4, 5] }),
    ).toThrow(/3 broker/);
  });

  it('replicates 3 times where it can and asks 2 in-sync replicas only of 3 or more', () => {
    expect([1, 2, 3, 5].map(defaultReplicationFactor)).toEqual([1, 2, 3, 3]);
    expect([1, 2, 3, 5].map(minInsyncReplicasFor)).toEqual([1, 1, 2, 2]);
  });

  it('reads PACER_KAFKA_BROKERS, defaulting to one broker and refusing nonsense', () => {
    expect(localBrokerCount({})).toBe(1);
    expect(localBrokerCount({ PACER_KAFKA_BROKERS: '3' })).toBe(3);
    expect(() => localBrokerCount({ PACER_KAFKA_BROKERS: 'three' })).toThrow(/PACER_KAFKA_BROKERS/);
    expect(() => localBrokerCount({ PACER_KAFKA_BROKERS: '0' })).toThrow(/PACER_KAFKA_BROKERS/);
  });
});
