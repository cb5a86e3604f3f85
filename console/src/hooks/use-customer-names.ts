import { useMemo } from 'react';
import { useCustomers } from './api/customers';

/** Customer names by id for lists of orders (orders carry the customer's id only). */
export function useCustomerNames(): (id: string) => string {
  const customers = useCustomers({ limit: 500 });
  return useMemo(() => {
    const names = new Map(customers.data?.items.map((customer) => [customer.id, customer.name]));
    return (id: string) => names.get(id) ?? id.slice(0, 8);
  }, [customers.data]);
}
