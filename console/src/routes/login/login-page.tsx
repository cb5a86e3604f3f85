import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../components/language-switch';
import { describeError } from '../../lib/errors';
import { useSession } from '../../lib/session';

interface Credentials {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t } = useTranslation();
  const { signIn, ended } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async ({ username, password }: Credentials) => {
    setBusy(true);
    setError(null);
    try {
      // Once signed in, the route table sends the page on to where the person was going.
      await signIn(username, password);
    } catch (failure) {
      const status = (failure as { statusCode?: number }).statusCode;
      setError(status === 401 ? t('login.wrong') : describeError(failure, t).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <Card className="login-card">
        <div className="login-head">
          <Typography.Title level={1} className="login-title">
            {t('app.name')}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        {ended === 'expired' && (
          <Alert type="warning" showIcon title={t('login.expired')} className="login-alert" />
        )}
        {error && <Alert type="error" showIcon title={error} className="login-alert" role="alert" />}
        <Form<Credentials> layout="vertical" onFinish={(values) => void submit(values)} requiredMark={false}>
          <Form.Item
            label={t('login.username')}
            name="username"
            rules={[{ required: true, message: t('login.usernameRequired') }]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            label={t('login.password')}
            name="password"
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
