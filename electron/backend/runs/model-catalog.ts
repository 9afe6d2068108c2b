/**
 * The model registry as the API shows it: every model folder with the roles it can fill, and
 * the lookup a run uses to turn a project's model ids into folders, refusing a model that is
 * missing, damaged or of the wrong role with a message that says what to do.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { SLOT_ROLES, type ModelInfo, type ModelRole, type ModelSlot } from '../../../shared/contract/run-schemas.js';
import { presentVariants } from '../../models/model-variants.js';
import type { InstalledModel, ModelRegistry } from '../../models/registry.js';

export class ModelCatalog {
  constructor(private readonly registry: ModelRegistry) {}

  async list(): Promise<ModelInfo[]> {
    return (await this.registry.list()).map(toInfo);
  }

  /** The folder of model `id` for `slot`, or an error naming the problem. */
  async resolve(slot: ModelSlot, id: string): Promise<{ id: string; dir: string }> {
    const model = (await this.registry.list()).find((m) => m.id === id);
    const role = SLOT_ROLES[slot];
    if (!model) throw new ApiError(ErrorCode.NotFound, `There is no model '${id}' (see Models, or \`roundtrip models list\`).`);
    if (!rolesOf(model).includes(role)) {
      throw new ApiError(ErrorCode.InvalidInput, `Model '${id}' is a ${model.role ?? 'model of unknown role'}, not a ${role}.`);
    }
    if (model.status === 'incomplete' || model.status === 'invalid') {
      throw new ApiError(ErrorCode.BadFormat, `Model '${id}' cannot be used: ${model.detail ?? model.status}. Pull or verify it again.`);
    }
    return { id: model.id, dir: model.path };
  }

  /** Checks every id of a choice; resolves when all can be used. */
  async check(choice: Partial<Record<ModelSlot, string>>): Promise<void> {
    for (const [slot, id] of Object.entries(choice) as [ModelSlot, string][]) await this.resolve(slot, id);
  }
}

/** A CLIP folder with its text tower beside the vision tower serves as a text embedder too. */
function rolesOf(model: InstalledModel): ModelRole[] {
  if (!model.role) return [];
  if (model.role === 'image-embedder' && existsSync(join(model.path, 'onnx', 'text_model.onnx'))) return ['image-embedder', 'text-embedder'];
  return [model.role];
}

function toInfo(model: InstalledModel): ModelInfo {
  return {
    id: model.id,
    name: model.name,
    roles: rolesOf(model),
    family: model.family ?? null,
    version: model.version ?? null,
    status: model.status,
    bundled: model.readOnly,
    path: model.path,
    detail: model.detail ?? null,
    runDefaults: model.manifest?.runDefaults ?? null,
    variants: presentVariants({ path: model.path, family: model.family, role: model.role, manifestDtype: model.manifest?.dtype }),
  };
}
