import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

/** What a person sees at the address of a page their role may not use. */
export function NotAllowedPage() {
  const { t } = useTranslation();
  return (
    <Result
      status="403"
      title={t('notAllowed.title')}
      subTitle={t('notAllowed.body')}
      extra={
        <Link to="/orders">
          <Button type="primary">{t('notAllowed.back')}</Button>
        </Link>
      }
    />
  );
}
