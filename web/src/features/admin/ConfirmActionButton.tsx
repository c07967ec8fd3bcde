import { Button, Group, Modal, Text, type ButtonProps } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert, describeError } from '../../shared/forms';

interface ConfirmActionButtonProps {
  label: string;
  title: string;
  question: string;
  confirmLabel: string;
  color?: ButtonProps['color'];
  disabled?: boolean;
  onConfirm: () => Promise<unknown>;
}

/** A button that asks first, and keeps the dialog open with the server's answer when it fails. */
export function ConfirmActionButton({ label, title, question, confirmLabel, color, disabled, onConfirm }: ConfirmActionButtonProps) {
  const { t } = useTranslation();
  const [isOpen, { open, close }] = useDisclosure(false);
  const [isWorking, setIsWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setIsWorking(true);
    setError(null);
    try {
      await onConfirm();
      close();
    } catch (caught) {
      setError(describeError(t, caught));
    } finally {
      setIsWorking(false);
    }
  };

  return (
    <>
      <Button size="xs" variant="light" color={color} disabled={disabled} onClick={open}>
        {label}
      </Button>
      <Modal opened={isOpen} onClose={close} title={title} centered>
        <Text mb="md">{question}</Text>
        <FormErrorAlert message={error} />
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={close}>
            {t('actions.cancel')}
          </Button>
          <Button color={color} loading={isWorking} onClick={() => void confirm()}>
            {confirmLabel}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
