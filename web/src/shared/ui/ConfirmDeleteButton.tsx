import { Button, Group, Modal, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert, describeError } from '../forms';

interface ConfirmDeleteButtonProps {
  /** What is being deleted, shown in the question ("Delete “Acme”?"). */
  name: string;
  onConfirm: () => Promise<unknown>;
}

export function ConfirmDeleteButton({ name, onConfirm }: ConfirmDeleteButtonProps) {
  const { t } = useTranslation();
  const [isOpen, { open, close }] = useDisclosure(false);
  const [isDeleting, setIsDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setIsDeleting(true);
    setError(null);
    try {
      await onConfirm();
      close();
    } catch (caught) {
      setError(describeError(t, caught));
    } finally {
      setIsDeleting(false);
    }
  };

  return (
    <>
      <Button color="red" variant="light" onClick={open}>
        {t('actions.delete')}
      </Button>
      <Modal opened={isOpen} onClose={close} title={t('confirmDelete.title')} centered>
        <Text mb="md">{t('confirmDelete.question', { name })}</Text>
        <FormErrorAlert message={error} />
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={close}>
            {t('actions.cancel')}
          </Button>
          <Button color="red" loading={isDeleting} onClick={() => void confirm()}>
            {t('confirmDelete.confirm')}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
