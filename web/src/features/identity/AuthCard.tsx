import { Anchor, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitcher } from '../../shared/i18n/LanguageSwitcher';

/** The frame around the signed-out pages: brand, language choice, one card. */
export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Stack w="100%" maw={420}>
        <Group justify="space-between">
          <Anchor href="/" underline="never" c="dark">
            <Text fw={700} size="xl">
              {t('app.name')}
            </Text>
          </Anchor>
          <LanguageSwitcher />
        </Group>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <Title order={2} mb="lg">
            {title}
          </Title>
          {children}
        </Paper>
        <Text ta="center" size="sm">
          {footer}
        </Text>
      </Stack>
    </Center>
  );
}
