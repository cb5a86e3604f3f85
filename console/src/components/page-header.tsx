import { Typography } from 'antd';
import type { ReactNode } from 'react';

export function PageHeader({ title, extra }: { title: string; extra?: ReactNode }) {
  return (
    <div className="page-header">
      <Typography.Title level={1}>{title}</Typography.Title>
      {extra}
    </div>
  );
}
