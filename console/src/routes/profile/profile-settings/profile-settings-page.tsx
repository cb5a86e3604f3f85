import { Alert, Card, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/page-header';
import type { Schemas } from '../../../lib/client';
import { describeError } from '../../../lib/errors';
import { hasRole, OPERATORS } from '../../../lib/roles';
import { useMe, useSession } from '../../../lib/session';
import { DelegationCard } from './components/delegation-card';

type Preference = Schemas['MeDto']['emailNotifications'];
const PREFERENCES: Preference[] = ['all', 'assigned', 'digest', 'none'];

/**
 * The signed-in person's own settings: which notifications also reach them by e-mail (the in-app inbox
 * always has them all), and where that e-mail goes.
 */
export function ProfileSettingsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { updateMe } = useSession();
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const choose = async (emailNotifications: Preference) => {
    setMessage(null);
    setSaving(true);
    try {
      await updateMe({ emailNotifications });
      setMessage({ type: 'success', text: t('common.saved') });
    } catch (failure) {
      setMessage({ type: 'error', text: describeError(failure, t).message });
    } finally {
      setSaving(false);
    }
  };
  return (
    <>
      <PageHeader title={t('profile.title')} />
      <Card title={t('profile.emailNotifications.title')} style={{ maxWidth: 640 }}>
        <Typography.Paragraph type="secondary">
          {me.email
            ? t('profile.emailNotifications.address', { email: me.email })
            : t('profile.emailNotifications.noAddress')}
        </Typography.Paragraph>
        {message && <Alert type={message.type} showIcon title={message.text} style={{ marginBottom: 16 }} />}
        <Radio.Group
          aria-label={t('profile.emailNotifications.title')}
          value={me.emailNotifications}
          disabled={saving}
          onChange={(event) => void choose(event.target.value as Preference)}
        >
          <Space direction="vertical">
            {PREFERENCES.map((preference) => (
              <Radio key={preference} value={preference} data-testid={`email-${preference}`}>
                <strong>{t(`profile.emailNotifications.options.${preference}`)}</strong>
                <Typography.Text type="secondary" style={{ display: 'block' }}>
                  {t(`profile.emailNotifications.help.${preference}`)}
                </Typography.Text>
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </Card>
      {hasRole(me.roles, OPERATORS) && <DelegationCard />}
    </>
  );
}
