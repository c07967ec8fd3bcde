// Outgoing email through the SMTP server in SMTP_URL. Callers send from jobs, never inside a
// database transaction, so a slow or failing mail server delays a retry, not a request.
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  readonly isConfigured: boolean;
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export class MailNotConfiguredError extends Error {
  constructor() {
    super('SMTP_URL is not set: Rapport cannot send email');
  }
}

export function createMailer({ smtpUrl, mailFrom }: { smtpUrl: string | undefined; mailFrom: string }): Mailer {
  // One pooled-less transport: each message opens a connection, which suits a handful of mails.
  const transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : undefined;
  return {
    isConfigured: transport !== undefined,
    async send(message) {
      if (!transport) throw new MailNotConfiguredError();
      await transport.sendMail({ from: mailFrom, to: message.to, subject: message.subject, text: message.text });
    },
    close() {
      transport?.close();
    },
  };
}
