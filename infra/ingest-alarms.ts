/**
 * The alarms that say the ingest path is unhealthy: the API answers 5XX or slowly, a stream refuses
 * writes, or a consumer falls behind. Each notifies the configured SNS topic, if any.
 */
import { Duration } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, TreatMissingData, type IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { StreamConfig } from '../config/ingest-config';

/** Share of requests answered 5XX (the 5XXError metric's average) above which the API alarms. */
export const SERVER_ERROR_RATE_THRESHOLD = 0.01;
/** p99 end-to-end latency in ms: Kinesis answers in tens of ms, so seconds mean trouble. */
export const P99_LATENCY_THRESHOLD_MS = 2_000;
/** A consumer is alarmed when its oldest unread record is half the retention old: data is at risk. */
export const ITERATOR_AGE_SHARE_OF_RETENTION = 0.5;

const PERIOD = Duration.minutes(5);

export interface IngestAlarmsProps {
  readonly stage: Stage;
  readonly streams: ReadonlyArray<{ readonly stream: IStream; readonly config: StreamConfig }>;
  readonly alarmTopicArn?: string;
}

export class IngestAlarms extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: IngestAlarmsProps) {
    super(scope, id);
    const action: IAlarmAction | undefined =
      props.alarmTopicArn === undefined
        ? undefined
        : new SnsAction(Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn));

    this.add(
      'ServerErrorRate',
      {
        metric: props.stage.metricServerError({ statistic: 'Average', period: PERIOD }),
        threshold: SERVER_ERROR_RATE_THRESHOLD,
        evaluationPeriods: 1,
        alarmDescription: `More than ${SERVER_ERROR_RATE_THRESHOLD * 100}% of requests answered 5XX over 5 minutes (Kinesis failures, integration timeouts, role permissions)`,
      },
      action,
    );
    this.add(
      'LatencyP99',
      {
        metric: props.stage.metricLatency({ statistic: 'p99', period: PERIOD }),
        threshold: P99_LATENCY_THRESHOLD_MS,
        evaluationPeriods: 3,
        alarmDescription: `p99 latency above ${P99_LATENCY_THRESHOLD_MS} ms for 15 minutes`,
      },
      action,
    );

    for (const { stream, config } of props.streams) {
      this.add(
        `WriteThrottled-${config.name}`,
        {
          metric: stream.metricWriteProvisionedThroughputExceeded({ statistic: 'Sum', period: PERIOD }),
          threshold: 0,
          evaluationPeriods: 1,
          alarmDescription: `Kinesis refused writes to ${config.name} (Kinesis stream ${config.physicalName}) for lack of capacity (clients got 429 or failed PutRecords entries): add shards or use ON_DEMAND`,
        },
        action,
      );
      const retentionMs = config.retentionHours * 3_600_000;
      this.add(
        `IteratorAge-${config.name}`,
        {
          metric: stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period: PERIOD }),
          threshold: retentionMs * ITERATOR_AGE_SHARE_OF_RETENTION,
          evaluationPeriods: 1,
          alarmDescription: `A consumer of ${config.name} (Kinesis stream ${config.physicalName}) is more than half the retention period (${config.retentionHours} h) behind: records may expire unread`,
        },
        action,
      );
    }
  }

  private add(
    id: string,
    props: {
      metric: ReturnType<Stage['metricLatency']>;
      threshold: number;
      evaluationPeriods: number;
      alarmDescription: string;
    },
    action: IAlarmAction | undefined,
  ): void {
    const alarm = new Alarm(this, id, {
      ...props,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (action) alarm.addAlarmAction(action);
    this.alarms.push(alarm);
  }
}
