import { canConfigure, type Actor } from '../auth/actor.js';
import type { Clock } from '../lib/clock.js';
import { AppError } from '../lib/errors.js';
import { integrationKey, shortId } from '../lib/ids.js';
import { policyLockKey } from '../escalation/escalation-policy.js';
import type { Store, Tx } from '../store/store.js';
import { integrationFromRow, validateIntegrationInput, type Integration } from './integration.js';
import {
  defaultServiceSettings,
  serviceFromRow,
  settingsToRow,
  validateServiceInput,
  type Service,
  type ServiceSettings,
} from './service.js';
import * as db from './service-store.js';
import {
  countDroppedEvents,
  listDroppedEventRows,
  type DroppedEventFilter,
  type DroppedEventRow,
} from './dropped-event-store.js';
import { servicesInMaintenance } from '../maintenance/maintenance-window-store.js';
import { enqueueServiceEvent } from '../webhooks/service-events.js';
import { auditIntegration, auditService, requireServiceScope } from './service-access.js';

/** What the service rules need. */
export interface ServiceDeps {
  store: Store;
  clock: Clock;
}

/** A service with what its presentation needs: live integrations and incident figures. */
export interface ServiceView {
  service: Service;
  integrations: Integration[];
  stats: db.IncidentStats;
  /** The name of the service's escalation policy (null without one, or if it is gone). */
  escalationPolicyName: string | null;
  /** Whether a maintenance window runs on the service now. */
  inMaintenance: boolean;
}

/** One page of services, plus the total when asked. */
export interface ServicePage {
  views: ServiceView[];
  total: number | null;
}

type Json = Record<string, unknown>;

function requireConfigure(actor: Actor): void {
  if (!canConfigure(actor)) throw new AppError('forbidden');
}

const nameTaken = () => new AppError('invalidInput', ['Name has already been taken']);

/**
 * Inside the write: the name is free and a newly referenced policy is live (locked against its deletion).
 * An unchanged reference is not checked again, so services saved before policies existed stay editable.
 */
async function checkNameAndPolicy(tx: Tx, settings: ServiceSettings, current?: Service): Promise<void> {
  // Serializes creates and renames of the same name (no unique index: deleted services keep theirs).
  const changed = settings.escalationPolicyId !== (current?.escalationPolicyId ?? null);
  const policyId = changed ? settings.escalationPolicyId : null;
  await tx.lockKeys([
    `service-name:${settings.name.toLowerCase()}`,
    ...(policyId === null ? [] : [policyLockKey(policyId)]),
  ]);
  if (await db.serviceNameTaken(tx.db, settings.name, current?.id)) throw nameTaken();
  if (policyId !== null && !(await db.escalationPolicyNames(tx.db, [policyId])).has(policyId))
    throw new AppError('invalidInput', [`Escalation policy ${policyId} not found`]);
}

async function views(deps: ServiceDeps, services: Service[]): Promise<ServiceView[]> {
  const ids = services.map((s) => s.id);
  const policyIds = [...new Set(services.flatMap((s) => s.escalationPolicyId ?? []))];
  const [stats, integrations, policies, inMaintenance] = await Promise.all([
    db.incidentStats(deps.store.db, ids),
    db.integrationRowsOf(deps.store.db, ids),
    db.escalationPolicyNames(deps.store.db, policyIds),
    servicesInMaintenance(deps.store.db, ids, deps.clock.now().toISOString()),
  ]);
  return services.map((service) => ({
    service,
    integrations: integrations.filter((i) => i.service_id === service.id).map(integrationFromRow),
    stats: stats.get(service.id) ?? { triggered: 0, acknowledged: 0, lastIncidentAt: null },
    escalationPolicyName: policies.get(service.escalationPolicyId ?? '') ?? null,
    inMaintenance: inMaintenance.has(service.id),
  }));
}

async function liveService(deps: ServiceDeps, id: string): Promise<Service> {
  const row = await db.findServiceRow(deps.store.db, id);
  if (!row) throw new AppError('notFound');
  return serviceFromRow(row);
}

/** Lists live services by name; `limit` rows are read (callers add one to tell `more`). */
export async function listServices(
  deps: ServiceDeps,
  _actor: Actor,
  filter: db.ServiceFilter,
  page: { limit: number; offset: number; total: boolean; descending: boolean },
): Promise<ServicePage> {
  const rows = await db.listServiceRows(deps.store.db, filter, page);
  const total = page.total ? await db.countServices(deps.store.db, filter) : null;
  return { views: await views(deps, rows.map(serviceFromRow)), total };
}

/** One live service. */
export async function getService(deps: ServiceDeps, _actor: Actor, id: string): Promise<ServiceView> {
  const [view] = await views(deps, [await liveService(deps, id)]);
  return view!;
}

/** Creates a service with PagerDuty's defaults for what the body leaves out. */
export async function createService(deps: ServiceDeps, actor: Actor, input: Json): Promise<ServiceView> {
  requireConfigure(actor);
  const settings = validateServiceInput(input, defaultServiceSettings);
  await requireServiceScope(deps.store, actor, null, settings.escalationPolicyId);
  const at = deps.clock.now().toISOString();
  const id = shortId();
  await deps.store.transaction(async (tx) => {
    await checkNameAndPolicy(tx, settings);
    const row = { id, ...settingsToRow(settings), created_at: at, updated_at: at, deleted_at: null };
    await db.insertService(tx.db, row);
    await enqueueServiceEvent(tx, 'service.created', row, actor, at);
    await auditService(tx, actor, at, 'create', null, row);
  });
  return getService(deps, actor, id);
}

/** Updates a live service from a partial body (enable/disable is `status`). */
export async function updateService(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: Json,
): Promise<ServiceView> {
  requireConfigure(actor);
  const current = await liveService(deps, id);
  const settings = validateServiceInput(input, current);
  await requireServiceScope(deps.store, actor, id, settings.escalationPolicyId);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await checkNameAndPolicy(tx, settings, current);
    const row = { ...settingsToRow(settings), updated_at: at };
    await db.updateServiceRow(tx.db, id, row);
    await enqueueServiceEvent(tx, 'service.updated', { id, ...row }, actor, at);
    await auditService(tx, actor, at, 'update', { id, ...settingsToRow(current) }, { id, ...row });
  });
  return getService(deps, actor, id);
}

/** Soft-deletes a service; its integration keys stop routing events. */
export async function deleteService(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  requireConfigure(actor);
  const service = await liveService(deps, id);
  await requireServiceScope(deps.store, actor, id);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await db.softDeleteService(tx.db, id, at);
    const facts = { ...settingsToRow(service), id };
    await enqueueServiceEvent(tx, 'service.deleted', facts, actor, at);
    await auditService(tx, actor, at, 'delete', facts, null);
  });
}

/** An integration of a live service, with the service (for its reference). */
export interface IntegrationView {
  integration: Integration;
  service: Service;
}

/** One live integration of a live service. */
export async function getIntegration(
  deps: ServiceDeps,
  _actor: Actor,
  serviceId: string,
  integrationId: string,
): Promise<IntegrationView> {
  const service = await liveService(deps, serviceId);
  const row = await db.findIntegrationRow(deps.store.db, serviceId, integrationId);
  if (!row) throw new AppError('notFound');
  return { service, integration: integrationFromRow(row) };
}

/** Adds an integration with a new 32-hex integration key. */
export async function createIntegration(
  deps: ServiceDeps,
  actor: Actor,
  serviceId: string,
  input: Json,
): Promise<IntegrationView> {
  requireConfigure(actor);
  const service = await liveService(deps, serviceId);
  await requireServiceScope(deps.store, actor, serviceId);
  const settings = validateIntegrationInput(input);
  const at = deps.clock.now().toISOString();
  const id = shortId();
  const row = {
    id,
    service_id: service.id,
    type: settings.type,
    name: settings.name,
    integration_key: integrationKey(),
    config: JSON.stringify(settings.config),
    created_at: at,
    updated_at: at,
    deleted_at: null,
  };
  await deps.store.transaction(async (tx) => {
    await db.insertIntegration(tx.db, row);
    await auditIntegration(tx, actor, at, 'create', service, null, row);
  });
  return getIntegration(deps, actor, serviceId, id);
}

/** Renames an integration or changes its generic JSON config. */
export async function updateIntegration(
  deps: ServiceDeps,
  actor: Actor,
  serviceId: string,
  integrationId: string,
  input: Json,
): Promise<IntegrationView> {
  requireConfigure(actor);
  const { integration, service } = await getIntegration(deps, actor, serviceId, integrationId);
  await requireServiceScope(deps.store, actor, serviceId);
  const settings = validateIntegrationInput(input, integration);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    const before = await db.findIntegrationRow(tx.db, serviceId, integrationId);
    const values = { name: settings.name, config: JSON.stringify(settings.config), updated_at: at };
    await db.updateIntegrationRow(tx.db, integrationId, values);
    if (before) await auditIntegration(tx, actor, at, 'update', service, before, { ...before, ...values });
  });
  return getIntegration(deps, actor, serviceId, integrationId);
}

/** Soft-deletes an integration; its key stops routing events. */
export async function deleteIntegration(
  deps: ServiceDeps,
  actor: Actor,
  serviceId: string,
  integrationId: string,
): Promise<void> {
  requireConfigure(actor);
  const { service } = await getIntegration(deps, actor, serviceId, integrationId);
  await requireServiceScope(deps.store, actor, serviceId);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    const before = await db.findIntegrationRow(tx.db, serviceId, integrationId);
    await db.updateIntegrationRow(tx.db, integrationId, { deleted_at: at, updated_at: at });
    if (before) await auditIntegration(tx, actor, at, 'delete', service, before, null);
  });
}

/** A page of a live service's dropped events, newest first. */
export async function listDroppedEvents(
  deps: ServiceDeps,
  _actor: Actor,
  serviceId: string,
  integrationIds: string[] | undefined,
  page: { limit: number; offset: number; total: boolean },
): Promise<{ rows: DroppedEventRow[]; total: number | null }> {
  await liveService(deps, serviceId);
  const ids = integrationIds?.filter((i) => i !== '');
  return listAccountDroppedEvents(deps, _actor, { serviceIds: [serviceId], integrationIds: ids }, page);
}

/** A page of the account's dropped events (every service, deleted ones too), newest first. */
export async function listAccountDroppedEvents(
  deps: ServiceDeps,
  _actor: Actor,
  filter: DroppedEventFilter,
  page: { limit: number; offset: number; total: boolean },
): Promise<{ rows: DroppedEventRow[]; total: number | null }> {
  const rows = await listDroppedEventRows(deps.store.db, filter, page);
  const total = page.total ? await countDroppedEvents(deps.store.db, filter) : null;
  return { rows, total };
}
