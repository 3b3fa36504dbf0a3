import { restartDrillReportFile, restartDrillSettings } from './restart-drill.settings';

describe('restartDrillSettings', () => {
  it('runs at half the bench maximum with kafkajs and the plain report file by default', () => {
    const settings = restartDrillSettings({});
    expect(settings).toMatchObject({
      ratePerSecond: 25,
      paymentInstances: 2,
      settleS: 10,
      killDownS: 10,
      kafkaClient: 'kafkajs',
      reportSuffix: '',
    });
    expect(restartDrillReportFile(settings)).toBe('restart-drill.md');
  });

  it('takes each figure from its variable', () => {
    const settings = restartDrillSettings({
      DRILL_RATE_PER_S: '12.5',
      DRILL_KILL_DOWN_S: '4',
      DRILL_SETTLE_S: '3',
      DRILL_PAYMENT_INSTANCES: '3',
    });
    expect(settings).toMatchObject({ ratePerSecond: 12.5, killDownS: 4, settleS: 3, paymentInstances: 3 });
  });

  it('names the report after a client other than the default, unless told another suffix', () => {
    const platformatic = restartDrillSettings({ KAFKA_CLIENT: 'platformatic' });
    expect(platformatic.kafkaClient).toBe('platformatic');
    expect(restartDrillReportFile(platformatic)).toBe('restart-drill.platformatic.md');
    const named = restartDrillSettings({ KAFKA_CLIENT: 'platformatic', DRILL_REPORT_SUFFIX: 'after-fix' });
    expect(restartDrillReportFile(named)).toBe('restart-drill.after-fix.md');
    expect(restartDrillReportFile(restartDrillSettings({ DRILL_REPORT_SUFFIX: 'kafkajs' }))).toBe(
      'restart-drill.kafkajs.md',
    );
  });

  it('stops on a malformed value before anything starts', () => {
    expect(() => restartDrillSettings({ DRILL_RATE_PER_S: '0' })).toThrow('DRILL_RATE_PER_S');
    expect(() => restartDrillSettings({ DRILL_KILL_DOWN_S: 'ten' })).toThrow('DRILL_KILL_DOWN_S');
    expect(() => restartDrillSettings({ KAFKA_CLIENT: 'rdkafka' })).toThrow('rdkafka');
    expect(() => restartDrillSettings({ DRILL_PAYMENT_INSTANCES: '1.5' })).toThrow('DRILL_PAYMENT_INSTANCES');
    expect(() => restartDrillSettings({ DRILL_PAYMENT_INSTANCES: '0' })).toThrow('DRILL_PAYMENT_INSTANCES');
    expect(() => restartDrillSettings({ DRILL_REPORT_SUFFIX: '../x' })).toThrow('DRILL_REPORT_SUFFIX');
  });
});
