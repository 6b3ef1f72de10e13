// What graph building needs besides the event, made once per run from the config: the detector's layer model
// and, for the module-map builder, the map. Pure: stage.ts reads the detector and map files from disk; the web
// page passes the bytes it bundled.
import { InputError } from '../core/errors.ts';
import type { DetectorIndex } from '../geometry/detector-index.ts';
import { moduleMapFromArrow, ringMapFromArrow } from './arrow-io.ts';
import type { GraphContext } from './build.ts';
import { resolveCuts, type GraphConfig } from './config.ts';
import { buildLayerModel, PIXEL_VOLUMES } from './layers.ts';
import { moduleRings } from './ring-map.ts';

/** Layer model for `config` on `detector`, the detector's module rings, and the module map (or ring map) from
 * `moduleMapBytes` (the file `config.moduleMap.file` names; required when the builder is 'moduleMap' or 'ringMap'). */
export function graphContextFrom(
  config: GraphConfig,
  detector: DetectorIndex,
  moduleMapBytes?: Uint8Array,
): GraphContext & { detector: DetectorIndex } {
  const model = buildLayerModel(detector.layers, config.detector === 'pixel' ? PIXEL_VOLUMES : undefined, {
    z0MaxMm: Math.max(200, resolveCuts(config).z0MaxMm),
    skipOne: config.skipOneLayer,
  });
  const ctx: GraphContext & { detector: DetectorIndex } = { model, detector, modules: detector, rings: moduleRings(detector) };
  if (config.builder === 'moduleMap' || config.builder === 'ringMap') {
    const file = config.moduleMap.file ?? 'module map';
    if (moduleMapBytes === undefined) throw new InputError(file, undefined, 'module map bytes not given');
    try {
      if (config.builder === 'ringMap') ctx.ringMap = ringMapFromArrow(moduleMapBytes, ctx.rings!, file);
      else ctx.moduleMap = moduleMapFromArrow(moduleMapBytes, detector, file);
    } catch (err) {
      throw new InputError(file, undefined, `not a readable module map: ${(err as Error).message}`);
    }
  }
  return ctx;
}
