import { Alert, Form, Modal, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { describeError, fieldName, type ErrorDescription } from '../lib/errors';

/**
 * A modal form that sends one request: a 400 marks the field it names, anything else shows above the
 * form in words (by `describe`, for resources whose 409 names their own status).
 */
export function FormModal<Values extends object>({
  title,
  open,
  onClose,
  onSubmit,
  initialValues,
  okText,
  danger = false,
  describe = describeError,
  children,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  onSubmit: (values: Values) => Promise<unknown>;
  initialValues?: Partial<Values>;
  /** The submit button's words; "Save" unless given. */
  okText?: string;
  danger?: boolean;
  describe?: (error: unknown, t: TFunction) => ErrorDescription;
  children: (form: FormInstance<Values>) => ReactNode;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setError(null);
    form.resetFields();
    onClose();
  };
  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      await onSubmit(values);
      close();
    } catch (failure) {
      const described = describe(failure, t);
      const name = described.field ? fieldName(described.field) : null;
      if (name && form.getFieldInstance(name) !== undefined) {
        form.setFields([{ name: name as never, errors: [described.message] }]);
      } else {
        setError(described.message);
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={title}
      okText={okText ?? t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy, danger }}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) => void submit(values)}
      >
        {children(form)}
      </Form>
    </Modal>
  );
}
