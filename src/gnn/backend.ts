// Run-time backend choice for tfjs: tries tfjs-node-gpu → tfjs-node → webgpu (when an adapter exists) → wasm → cpu,
// or only the one asked for, and reports which ran and why each earlier one did not. The native backends are
// optional dependencies (their install script downloads libtensorflow, which fails without internet/CUDA 11.2).
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import type { BackendAttempt, BackendChoice, BackendName, BackendReport } from './backend-common.ts';
import { BACKENDS } from './backend-names.ts';

export {
  BACKENDS,
  describeBackend,
  trimGpuBufferPool,
  type BackendAttempt,
  type BackendChoice,
  type BackendName,
  type BackendReport,
} from './backend-common.ts';

// PROD: no "install our node backend" banner on first use; we report backend choices ourselves.
tf.env().set('PROD', true);

const requireHere = createRequire(import.meta.url);
const firstLine = (err: unknown): string =>
  String((err as Error)?.message ?? err)
    .split('\n')[0]
    .slice(0, 200);

async function tryNative(pkg: '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu'): Promise<string | undefined> {
  try {
    requireHere.resolve(pkg);
  } catch {
    return `${pkg} not installed (optional dependency; its install script needs libtensorflow from outside npm${
      pkg.endsWith('gpu') ? ' and CUDA 11.2/cuDNN 8.1' : ''
    })`;
  }
  try {
    // The native package registers backend 'tensorflow' into the tfjs-core instance it resolves; a user who
    // installs it must have it dedupe to ours (same 4.22.0 version).
    requireHere(pkg);
  } catch (err) {
    return `${pkg} failed to load: ${firstLine(err)}`;
  }
  if (!tf.findBackendFactory('tensorflow')) return `${pkg} loaded but registered no backend into this tfjs`;
  if (!(await tf.setBackend('tensorflow'))) return `${pkg}: backend 'tensorflow' failed to initialise`;
  return undefined;
}

let webgpuModuleLoaded = false;
let lastReport: BackendReport | undefined;
let lastChoice: BackendChoice | undefined;

function hasGpuDeviceNode(): boolean {
  const list = (dir: string): string[] => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  return list('/dev/dri').some((f) => f.startsWith('renderD')) || list('/dev').some((f) => /^nvidia\d+$/.test(f));
}

/** Puts a Dawn (`webgpu` package) navigator.gpu in place, then imports the tfjs webgpu backend — in that order,
 * because the backend checks navigator.gpu when its module is evaluated. Software adapters: Mesa llvmpipe over
 * GLES needs EGL_PLATFORM=surfaceless, Dawn's backend=opengles and featureLevel 'compatibility'; SwiftShader
 * Vulkan needs VK_ICD_FILENAMES (see README). */
async function tryWebgpu(allowSoftware: boolean): Promise<string | undefined> {
  // On Linux a hardware adapter needs a DRM render node or the NVIDIA device; without one only a software
  // adapter can exist, which 'auto' skips anyway: do not pay for (or print Dawn's warnings from) the probe.
  if (!allowSoftware && process.platform === 'linux' && !hasGpuDeviceNode())
    return 'webgpu: no GPU device (/dev/dri/renderD*, /dev/nvidia*); software adapters only with --backend webgpu';
  let webgpu: typeof import('webgpu');
  try {
    webgpu = await import('webgpu');
  } catch (err) {
    return `webgpu package failed to load: ${firstLine(err)}`;
  }
  if (process.env.EGL_PLATFORM === undefined) process.env.EGL_PLATFORM = 'surfaceless';
  const g = globalThis as Record<string, unknown>;
  let gpu: GPU | undefined;
  let compat = false;
  // Quiet Dawn's stderr warnings about missing drivers while probing: they are expected and not actionable.
  const write = process.stderr.write;
  try {
    process.stderr.write = (() => true) as typeof process.stderr.write;
    for (const [options, featureLevel] of [
      [[], undefined],
      [['backend=opengles'], 'compatibility'],
    ] as const) {
      const candidate = webgpu.create([...options]);
      const adapter = await candidate.requestAdapter(featureLevel ? ({ featureLevel } as GPURequestAdapterOptions) : undefined);
      if (adapter) {
        const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
        const name = `${info?.vendor ?? ''} ${info?.architecture ?? ''} ${info?.device ?? ''} ${info?.description ?? ''}`;
        if (!allowSoftware && /llvmpipe|swiftshader|lavapipe|softpipe/i.test(name))
          return `webgpu: only a software adapter (${name.trim().replace(/\s+/g, ' ')}), slower than wasm; force it with --backend webgpu`;
        gpu = candidate;
        compat = featureLevel !== undefined;
        break;
      }
    }
  } catch (err) {
    return `webgpu adapter probe failed: ${firstLine(err)}`;
  } finally {
    process.stderr.write = write;
  }
  if (!gpu) return 'webgpu: no adapter (no GPU driver; software: Mesa GLES with EGL_PLATFORM=surfaceless, or SwiftShader Vulkan)';
  Object.assign(g, webgpu.globals);
  const base = gpu;
  const navGpu = compat
    ? {
        requestAdapter: (o?: GPURequestAdapterOptions) =>
          base.requestAdapter({ ...o, featureLevel: 'compatibility' } as GPURequestAdapterOptions),
        getPreferredCanvasFormat: () => base.getPreferredCanvasFormat(),
        wgslLanguageFeatures: base.wgslLanguageFeatures,
      }
    : base;
  // Node ≥ 21 has a read-only global navigator: define the property instead of assigning.
  const nav = (g.navigator as Record<string, unknown> | undefined) ?? {};
  Object.defineProperty(nav, 'gpu', { value: navGpu, configurable: true });
  if (g.navigator !== nav) Object.defineProperty(g, 'navigator', { value: nav, configurable: true });
  try {
    if (!webgpuModuleLoaded) await import('@tensorflow/tfjs-backend-webgpu');
    webgpuModuleLoaded = true;
  } catch (err) {
    return `@tensorflow/tfjs-backend-webgpu failed to load: ${firstLine(err)}`;
  }
  // With no adapter setBackend only logs and returns false while getBackend() still names webgpu: check it.
  if (!(await tf.setBackend('webgpu'))) return 'webgpu: backend failed to initialise';
  return undefined;
}

async function tryWasm(): Promise<string | undefined> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // One thread: the machine's cores are shared; the threaded build only helps on an idle multi-core box.
    wasm.setThreadsCount(1);
  } catch (err) {
    return `@tensorflow/tfjs-backend-wasm failed to load: ${firstLine(err)}`;
  }
  if (!(await tf.setBackend('wasm'))) return 'wasm: backend failed to initialise';
  return undefined;
}

async function tryOne(name: BackendName, forced: boolean): Promise<string | undefined> {
  switch (name) {
    case 'tfjs-node-gpu':
      return tryNative('@tensorflow/tfjs-node-gpu');
    case 'tfjs-node':
      return tryNative('@tensorflow/tfjs-node');
    case 'webgpu':
      return tryWebgpu(forced);
    case 'wasm':
      return tryWasm();
    case 'cpu':
      return (await tf.setBackend('cpu')) ? undefined : 'cpu: failed to initialise';
  }
}

/** Activates `choice` ('auto': the first of BACKENDS that works; a software WebGPU adapter is skipped there,
 * being for correctness, not speed). A forced backend that fails is an error whose
 * message says why; 'auto' falls through to cpu, which always works. */
export async function selectBackend(choice: BackendChoice = 'auto'): Promise<BackendReport> {
  // Already active (e.g. a second stage in one process): keep it rather than re-probe (a second Dawn instance).
  if (lastReport && lastChoice === choice && tf.getBackend() === lastReport.tfName) return lastReport;
  const order: readonly BackendName[] = choice === 'auto' ? BACKENDS : [choice];
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    const reason = await tryOne(name, choice !== 'auto');
    attempts.push(reason === undefined ? { backend: name, ok: true } : { backend: name, ok: false, reason });
    if (reason === undefined) {
      await tf.ready();
      lastReport = { backend: name, tfName: tf.getBackend(), attempts };
      lastChoice = choice;
      return lastReport;
    }
  }
  throw new Error(`backend ${choice} unavailable: ${attempts.map((a) => a.reason).join('; ')}`);
}
