import { useTranslation } from 'react-i18next';
import type { Order } from '../../../../lib/client';
import { duration } from '../../../../lib/format';

interface Stage {
  key: 'created' | 'processing' | 'shipped' | 'completed';
  from: string | null;
  to: string | null;
}

const seconds = (from: string, to: string) => (new Date(to).getTime() - new Date(from).getTime()) / 1000;

/** The stages an order passes and when it entered each, from the order's own record. */
export function stagesOf(order: Order): Stage[] {
  const approvedAt = order.approvals.at(-1)?.at ?? null;
  const entered = order.status === 'created' ? null : approvedAt;
  const shippedAt = order.shipment?.shippedAt ?? null;
  return [
    { key: 'created', from: order.createdAt, to: entered },
    { key: 'processing', from: entered, to: shippedAt },
    { key: 'shipped', from: shippedAt, to: order.completedAt },
    { key: 'completed', from: order.completedAt, to: order.completedAt },
  ];
}

/**
 * The pipeline as a process diagram: the four stages in a row, the path taken drawn solid, the current
 * stage highlighted, the time spent in each, and the exit to cancelled or rejected where it was taken.
 */
export function PipelineDiagram({ order, now }: { order: Order; now: Date }) {
  const { t } = useTranslation();
  const stages = stagesOf(order);
  const closure = order.cancellation ?? order.rejection;
  const current = ['cancelled', 'rejected'].includes(order.status)
    ? null
    : stages.findIndex((stage) => stage.key === order.status);
  // Where a cancellation or rejection left the path: the last stage entered.
  const exitFrom = closure ? Math.max(0, stages.filter((stage) => stage.from !== null).length - 1) : -1;
  const width = 180;
  const x = (index: number) => 20 + index * width;
  const reached = (index: number) => stages[index]!.from !== null;
  return (
    <svg
      className="pipeline"
      viewBox={`0 0 ${20 + stages.length * width} ${closure ? 200 : 120}`}
      role="img"
      aria-label={t('orders.pipeline.label', {
        stage: t(`status.${order.status}`),
      })}
      data-testid="pipeline"
    >
      {stages.slice(1).map((_, index) => (
        <line
          key={`edge-${index}`}
          x1={x(index) + 140}
          y1={40}
          x2={x(index + 1)}
          y2={40}
          stroke={reached(index + 1) ? '#1d4ed8' : '#cbd5e1'}
          strokeWidth={2}
          strokeDasharray={reached(index + 1) ? undefined : '4 4'}
        />
      ))}
      {stages.map((stage, index) => {
        const isCurrent = index === current;
        const spent =
          stage.from && stage.key !== 'completed'
            ? duration(
                seconds(
                  stage.from,
                  stage.to ?? (isCurrent ? now.toISOString() : (closure?.at ?? now.toISOString())),
                ),
              )
            : null;
        return (
          <g key={stage.key} data-stage={stage.key} data-current={isCurrent ? 'true' : undefined}>
            <rect
              x={x(index)}
              y={18}
              width={140}
              height={44}
              rx={8}
              fill={isCurrent ? '#1d4ed8' : reached(index) ? '#dbeafe' : '#f8fafc'}
              stroke={reached(index) ? '#1d4ed8' : '#cbd5e1'}
              strokeWidth={isCurrent ? 3 : 1.5}
            />
            <text
              x={x(index) + 70}
              y={45}
              textAnchor="middle"
              fontSize={14}
              fill={isCurrent ? '#fff' : '#0f172a'}
            >
              {t(`status.${stage.key}`)}
            </text>
            {spent && (
              <text x={x(index) + 70} y={82} textAnchor="middle" fontSize={12} fill="#475569">
                {isCurrent && order.awaiting ? `${t(`awaiting.${order.awaiting}`)} · ${spent}` : spent}
              </text>
            )}
          </g>
        );
      })}
      {closure && (
        <g data-stage={order.status} data-current="true">
          <line
            x1={x(exitFrom) + 70}
            y1={62}
            x2={x(exitFrom) + 70}
            y2={140}
            stroke="#dc2626"
            strokeWidth={2}
          />
          <rect
            x={x(exitFrom)}
            y={140}
            width={140}
            height={44}
            rx={8}
            fill="#fee2e2"
            stroke="#dc2626"
            strokeWidth={3}
          />
          <text x={x(exitFrom) + 70} y={167} textAnchor="middle" fontSize={14} fill="#991b1b">
            {t(`status.${order.status}`)}
          </text>
        </g>
      )}
    </svg>
  );
}
