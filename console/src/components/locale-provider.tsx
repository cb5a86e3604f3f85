import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Ant Design's palette with the lighter greys, the link blue and the error red darkened so that text
 * reaches WCAG AA contrast (4.5:1) on white and on the page background, hovered and pressed too: the tints
 * Ant Design derives for hover (#4373e6 and #d4514c, 4.3 and 4.1:1 under white text) failed axe whenever
 * the pointer rested on a button it had just clicked.
 */
const THEME = {
  colorPrimary: '#1d4ed8',
  colorPrimaryHover: '#2f5fe0',
  colorPrimaryActive: '#0e35b3',
  colorLink: '#1d4ed8',
  colorLinkHover: '#2f5fe0',
  colorLinkActive: '#0e35b3',
  colorInfo: '#1d4ed8',
  colorError: '#c62828',
  colorErrorHover: '#b01e24',
  colorErrorActive: '#a1181d',
  colorTextSecondary: '#4b5563',
  colorTextTertiary: '#555d6b',
  colorTextDescription: '#555d6b',
  colorTextPlaceholder: '#646b77',
  colorTextQuaternary: '#646b77',
  borderRadius: 6,
};

/** Ant Design follows the console's language (dates, pagination, empty states). */
export function LocaleProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  // Date pickers name months and weekdays through dayjs.
  dayjs.locale(i18n.language === 'en' ? 'en' : 'zh-cn');
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={{ token: THEME }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
