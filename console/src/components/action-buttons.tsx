import { Button, Space } from 'antd';

/**
 * The buttons of what a person may do now with an order or a return (its `actions`, as the API lists them):
 * the dangerous ones (reject, cancel) drawn as such, each opening its own form.
 */
export function ActionButtons<Action extends string>({
  actions,
  danger,
  label,
  onPick,
  testId,
}: {
  actions: readonly Action[];
  danger: readonly Action[];
  label: (action: Action) => string;
  onPick: (action: Action) => void;
  testId: string;
}) {
  return (
    <Space wrap data-testid={testId}>
      {actions.map((action) => (
        <Button
          key={action}
          type={danger.includes(action) ? 'default' : 'primary'}
          danger={danger.includes(action)}
          onClick={() => onPick(action)}
          data-action={action}
        >
          {label(action)}
        </Button>
      ))}
    </Space>
  );
}
