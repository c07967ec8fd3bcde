import { NativeSelect, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { actions, scopes, type Role } from './adminApi';
import { allObjects, grantRows, inherit, readGrant, writeGrant } from './permissionObjects';

interface GrantsGridProps {
  grants: Role['grants'];
  onChange?: (grants: Role['grants']) => void;
  readOnly: boolean;
}

/** Objects × actions, one scope per cell; object rows may defer to the "all objects" row. */
export function GrantsGrid({ grants, onChange, readOnly }: GrantsGridProps) {
  const { t } = useTranslation();
  const scopeLabel = (scope: string) => t(`admin.scopes.${scope}`);
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table withTableBorder withColumnBorders verticalSpacing={4} data-testid="grants-grid">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.roles.object')}</Table.Th>
            {actions.map((action) => (
              <Table.Th key={action}>{t(`admin.actions.${action}`)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {grantRows.map((object) => (
            <Table.Tr key={object}>
              <Table.Th>{t(`admin.objects.${object === allObjects ? 'all' : object}`)}</Table.Th>
              {actions.map((action) => {
                const value = readGrant(grants, object, action);
                const inherited = readGrant(grants, allObjects, action);
                const options: { value: string; label: string }[] = scopes.map((scope) => ({ value: scope, label: scopeLabel(scope) }));
                if (object !== allObjects) options.unshift({ value: inherit, label: t('admin.scopes.inherit', { scope: scopeLabel(inherited) }) });
                // Disabled selects read poorly; a role nobody may change is plain text.
                if (readOnly) {
                  return (
                    <Table.Td key={action}>
                      <Text size="sm" c={value === inherit ? 'dimmed' : undefined}>
                        {options.find((option) => option.value === value)?.label}
                      </Text>
                    </Table.Td>
                  );
                }
                return (
                  <Table.Td key={action}>
                    <NativeSelect
                      size="xs"
                      aria-label={t('admin.roles.cellLabel', { object: t(`admin.objects.${object === allObjects ? 'all' : object}`), action: t(`admin.actions.${action}`) })}
                      data={options}
                      value={value}
                      onChange={(event) => onChange?.(writeGrant(grants, object, action, event.currentTarget.value))}
                    />
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
