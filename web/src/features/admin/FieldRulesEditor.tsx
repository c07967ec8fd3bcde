import { NativeSelect, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FieldList } from '../../shared/ui';
import type { Role } from './adminApi';
import { permissionObjects, readFieldRule, writeFieldRule, type FieldRuleChoice } from './permissionObjects';

const choices: FieldRuleChoice[] = ['none', 'hidden', 'read_only'];
const declaredObjects = new Set<string>(permissionObjects.map((object) => object.name));

interface FieldRulesEditorProps {
  fieldRules: Role['fieldRules'];
  onChange?: (fieldRules: Role['fieldRules']) => void;
  readOnly: boolean;
}

/** Per object, each field visible and editable (no rule), hidden, or read only. */
export function FieldRulesEditor({ fieldRules, onChange, readOnly }: FieldRulesEditorProps) {
  const { t } = useTranslation();
  const options = choices.map((choice) => ({ value: choice, label: t(`admin.fieldRules.${choice}`) }));
  const fieldLabel = (object: string, field: string) => t(`fields.${object}.${field}`, { defaultValue: field });
  // Built-in roles may name objects of modules this server does not have (yet): list them as they are.
  const otherRules = Object.entries(fieldRules)
    .filter(([object]) => !declaredObjects.has(object))
    .flatMap(([object, rules]) => Object.entries(rules).map(([field, rule]) => `${object}.${field}: ${t(`admin.fieldRules.${rule}`)}`));
  return (
    <Stack>
      {permissionObjects.map((object) => (
        <Stack key={object.name} gap="xs">
          <Title order={5}>{t(`admin.objects.${object.name}`)}</Title>
          {readOnly ? (
            <FieldList
              items={object.fields.map((field) => ({ label: fieldLabel(object.name, field), value: t(`admin.fieldRules.${readFieldRule(fieldRules, object.name, field)}`) }))}
            />
          ) : (
            <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }} spacing="sm">
              {object.fields.map((field) => (
                <NativeSelect
                  key={field}
                  size="xs"
                  label={fieldLabel(object.name, field)}
                  aria-label={t('admin.fieldRules.fieldLabel', { object: t(`admin.objects.${object.name}`), field: fieldLabel(object.name, field) })}
                  data={options}
                  value={readFieldRule(fieldRules, object.name, field)}
                  onChange={(event) => onChange?.(writeFieldRule(fieldRules, object.name, field, event.currentTarget.value as FieldRuleChoice))}
                />
              ))}
            </SimpleGrid>
          )}
        </Stack>
      ))}
      {otherRules.length > 0 && <Text size="sm" c="dimmed">{otherRules.join(' · ')}</Text>}
    </Stack>
  );
}
