import { Alert, Button, Form, Input, Modal, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { FormModal } from '../../../../components/form-modal';
import { useCreateView, useDeleteView, useViews } from '../../../../hooks/api/views';
import { paramsFromFilters, type BoardFilters } from '../../../../lib/board-filters';
import { describeError } from '../../../../lib/errors';

/**
 * "Save these filters as…" for the board's filters, and, when the board shows one of the person's saved
 * views, its name and a way to delete it. The views are listed in the navigation.
 */
export function SavedViews({ filters }: { filters: BoardFilters }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const views = useViews();
  const create = useCreateView();
  const remove = useDeleteView();
  const [saving, setSaving] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const here = paramsFromFilters(filters).toString();
  const current = views.data?.items.find((view) => paramsFromFilters(view.filters).toString() === here);

  const closeDelete = () => {
    setDeleting(false);
    setError(null);
  };
  const confirmDelete = async () => {
    if (!current) return;
    try {
      await remove.mutateAsync(current.id);
      closeDelete();
    } catch (failure) {
      setError(describeError(failure, t).message);
    }
  };

  return (
    <Space wrap>
      {current && (
        <Tag color="blue" data-testid="current-view">
          {t('orders.views.current', { name: current.name })}
        </Tag>
      )}
      <Button onClick={() => setSaving(true)} data-testid="save-view">
        {t('orders.views.save')}
      </Button>
      {current && (
        <Button danger onClick={() => setDeleting(true)} data-testid="delete-view">
          {t('orders.views.delete')}
        </Button>
      )}
      <FormModal<{ name: string }>
        title={t('orders.views.saveTitle')}
        open={saving}
        onClose={() => setSaving(false)}
        onSubmit={async ({ name }) => {
          const view = await create.mutateAsync({ name: name.trim(), filters });
          void navigate(`/orders?${paramsFromFilters(view.filters).toString()}`, { replace: true });
        }}
      >
        {() => (
          <Form.Item
            name="name"
            label={t('orders.views.name')}
            extra={t('orders.views.private')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input maxLength={100} autoFocus />
          </Form.Item>
        )}
      </FormModal>
      {deleting && current && (
        <Modal
          open
          title={t('orders.views.delete')}
          okText={t('common.remove')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true, loading: remove.isPending, 'data-testid': 'delete-view-confirm' }}
          onOk={() => void confirmDelete()}
          onCancel={closeDelete}
        >
          {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
          <p>{t('orders.views.confirmDelete', { name: current.name })}</p>
        </Modal>
      )}
    </Space>
  );
}
