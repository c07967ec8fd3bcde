// GET/PUT /workspace/encryption (which fields are encrypted), POST /workspace/encryption/rotate
// (a new key version, re-encryption as a job) for administrators; DELETE /workspace (owner).
import { Type } from '@sinclair/typebox';
import { commonErrors, Nullable } from '../http/schemas.js';
import type { App } from '../http/server.js';
import type { FieldEncryption } from './encryption.service.js';

const EncryptionSettings = Type.Object({
  fields: Type.Array(Type.String(), { description: 'Encrypted fields, e.g. contact.phone' }),
  availableFields: Type.Array(Type.String()),
  keys: Type.Array(Type.Object({ version: Type.Integer(), createdAt: Type.String({ format: 'date-time' }), retiredAt: Nullable(Type.String({ format: 'date-time' })) })),
});
const UpdateEncryptionSettings = Type.Object({
  fields: Type.Array(Type.String({ pattern: '^[a-z_]+\\.[a-zA-Z_.]+$', maxLength: 100 }), { maxItems: 100 }),
}, { additionalProperties: false });
const DeleteWorkspace = Type.Object({
  confirm: Type.String({ maxLength: 200, description: "The workspace's slug" }),
}, { additionalProperties: false });

export function encryptionRoutes(app: App, { encryption }: { encryption: FieldEncryption }) {
  const tags = ['workspace'];
  app.get('/workspace/encryption', {
    schema: { tags, summary: 'Which fields are encrypted, and the key versions (administrators)', response: { 200: EncryptionSettings, ...commonErrors } },
  }, (request) => encryption.getSettings(request.actor));
  app.put('/workspace/encryption', {
    schema: {
      tags, summary: 'Choose the encrypted fields; existing values are converted by a job (administrators)', body: UpdateEncryptionSettings,
      response: { 200: Type.Composite([EncryptionSettings, Type.Object({ jobId: Nullable(Type.String()) })]), ...commonErrors },
    },
  }, (request) => encryption.updateSettings(request.actor, request.body.fields));
  app.post('/workspace/encryption/rotate', {
    schema: { tags, summary: 'Make a new data key and re-encrypt every value with it, in the background (administrators)', response: { 202: Type.Object({ jobId: Nullable(Type.String()), keyVersion: Type.Integer() }), ...commonErrors } },
  }, async (request, reply) => reply.code(202).send(await encryption.requestRotation(request.actor)));
  app.delete('/workspace', {
    schema: { tags, summary: 'Delete the workspace, all its data and its keys (owner; confirm with the slug)', body: DeleteWorkspace, response: { 204: Type.Null(), ...commonErrors } },
  }, async (request, reply) => {
    await encryption.deleteWorkspace(request.actor, request.body.confirm);
    return reply.code(204).send(null);
  });
}
