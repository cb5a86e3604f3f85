import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Language } from '../i18n';
import { useSession } from '../lib/session';

/** Switches the console's language; for a signed-in user it is kept on their account. */
export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  const { setLanguage } = useSession();
  return (
    <Segmented<Language>
      aria-label={t('layout.language')}
      size="small"
      value={i18n.language as Language}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'English', value: 'en' },
      ]}
      onChange={(language) => void setLanguage(language)}
    />
  );
}
