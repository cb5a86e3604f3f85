import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../lib/client';
import { queryKeysFactory, useApiMutation } from '../../lib/query';

export const settingsQueryKeys = {
  ...queryKeysFactory('settings'),
  approval: () => ['settings', 'approval'] as const,
  calendar: () => ['settings', 'calendar'] as const,
  recipients: () => ['settings', 'recipients'] as const,
  policies: () => ['settings', 'policies'] as const,
};

export function useApprovalSettings() {
  return useQuery({
    queryKey: settingsQueryKeys.approval(),
    queryFn: async () => unwrap(await api.GET('/api/settings/approval')),
  });
}

export function useSaveApprovalSettings() {
  return useApiMutation(
    async (body: Schemas['ApprovalSettingsInputDto']) =>
      unwrap(await api.PUT('/api/settings/approval', { body })),
    () => [settingsQueryKeys.approval()],
  );
}

export function useEscalationPolicies() {
  return useQuery({
    queryKey: settingsQueryKeys.policies(),
    queryFn: async () => unwrap(await api.GET('/api/escalation-policies')),
  });
}

export function useSavePolicy() {
  return useApiMutation(
    async ({ stage, body }: { stage: Schemas['PolicyDto']['stage']; body: Schemas['PolicyInputDto'] }) =>
      unwrap(await api.PUT('/api/escalation-policies/{stage}', { params: { path: { stage } }, body })),
    () => [settingsQueryKeys.policies()],
  );
}

export function useCalendar() {
  return useQuery({
    queryKey: settingsQueryKeys.calendar(),
    queryFn: async () => unwrap(await api.GET('/api/settings/calendar')),
  });
}

export function useSaveCalendar() {
  return useApiMutation(
    async (body: Schemas['CalendarInputDto']) => unwrap(await api.PUT('/api/settings/calendar', { body })),
    () => [settingsQueryKeys.calendar()],
  );
}

export function useRecipients() {
  return useQuery({
    queryKey: settingsQueryKeys.recipients(),
    queryFn: async () => unwrap(await api.GET('/api/settings/notifications')),
  });
}

export function useSaveRecipients() {
  return useApiMutation(
    async ({
      kind,
      body,
    }: {
      kind: Schemas['RecipientSettingDto']['kind'];
      body: Schemas['RecipientSettingInputDto'];
    }) => unwrap(await api.PUT('/api/settings/notifications/{kind}', { params: { path: { kind } }, body })),
    () => [settingsQueryKeys.recipients()],
  );
}
