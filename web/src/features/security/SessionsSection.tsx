import { Badge, Button, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../shared/forms';
import { useFormatters } from '../../shared/i18n/useFormatters';
import { QueryState } from '../../shared/ui';
import { securityApi, securityQueryKeys } from './securityApi';

/** Where you are signed in; ending a session signs that device out at once. */
export function SessionsSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { formatDateTime } = useFormatters();
  const sessions = useQuery({ queryKey: securityQueryKeys.sessions, queryFn: securityApi.listSessions });
  const revoke = useMutation({
    mutationFn: securityApi.revokeSession,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: securityQueryKeys.sessions }),
  });

  return (
    <Paper withBorder p="lg" radius="md">
      <Stack>
        <Title order={3}>{t('security.sessions.title')}</Title>
        <QueryState isPending={sessions.isPending} error={sessions.error} />
        {revoke.error && <Text c="red" size="sm">{describeError(t, revoke.error)}</Text>}
        {sessions.data && (
          <Table.ScrollContainer minWidth={560}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('security.sessions.device')}</Table.Th>
                  <Table.Th>{t('security.sessions.address')}</Table.Th>
                  <Table.Th>{t('security.sessions.started')}</Table.Th>
                  <Table.Th>{t('security.sessions.expires')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sessions.data.items.map((session) => (
                  <Table.Tr key={session.id}>
                    <Table.Td maw={280}>
                      <Text size="sm" truncate>
                        {session.userAgent ?? t('security.sessions.unknownDevice')}
                      </Text>
                    </Table.Td>
                    <Table.Td>{session.ip ?? '—'}</Table.Td>
                    <Table.Td>{formatDateTime(session.createdAt)}</Table.Td>
                    <Table.Td>{formatDateTime(session.expiresAt)}</Table.Td>
                    <Table.Td>
                      {session.current ? (
                        <Badge variant="light">{t('security.sessions.current')}</Badge>
                      ) : (
                        <Button size="xs" variant="light" color="red" loading={revoke.isPending && revoke.variables === session.id} onClick={() => revoke.mutate(session.id)}>
                          {t('security.sessions.revoke')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
