import type { MenuProps } from 'antd';
import { useMemo } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useViews } from '../hooks/api/views';
import { filtersKey, paramsFromFilters } from '../lib/board-filters';

type Items = NonNullable<MenuProps['items']>;

/**
 * The signed-in person's saved views in the navigation, right under the order board in the work group,
 * each a link to the board with the view's filters in the address.
 */
export function useSavedViewsNav() {
  const views = useViews();
  const location = useLocation();
  return useMemo(() => {
    const links = (views.data?.items ?? []).map((view) => {
      const address = `/orders?${paramsFromFilters(view.filters).toString()}`;
      return {
        view,
        address,
        item: {
          key: `view:${view.id}`,
          className: 'nav-saved-view',
          label: (
            <Link to={address} data-testid="saved-view-link" data-view-id={view.id}>
              {view.name}
            </Link>
          ),
        },
      };
    });
    const here =
      location.pathname === '/orders' ? filtersKey(new URLSearchParams(location.search)) : undefined;
    const selected = links.find(({ address }) => address === `/orders?${here}`)?.item.key;
    /** The navigation's items with the views inserted after the board. */
    const insert = (items: Items | undefined): Items | undefined =>
      links.length === 0
        ? items
        : items?.map((group) =>
            group && 'children' in group && group.key === 'work' && Array.isArray(group.children)
              ? {
                  ...group,
                  children: group.children.flatMap((child) =>
                    child?.key === '/orders' ? [child, ...links.map(({ item }) => item)] : [child],
                  ),
                }
              : group,
          );
    return { insert, selected };
  }, [views.data, location.pathname, location.search]);
}
