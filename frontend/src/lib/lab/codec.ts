// The typed face of the codec's Lab calls: objects in, LabResult out. No packet logic here;
// the bytes, checksums and walkthroughs all come from backend/wire.

import type { LabAnalyzeRequest, LabResult, LabSpec, LabWindows, LabWire } from './types';

export interface LabCodec {
  /** With `window`, only those rows of the walkthroughs (LabAnalysis.windows). */
  build(spec: LabSpec, window?: LabWindows): LabResult;
  analyze(request: LabAnalyzeRequest): LabResult;
}

function parse(what: string, text: unknown): LabResult {
  if (typeof text !== 'string') return { error: `${what}: the codec returned ${typeof text}, not JSON text` };
  try {
    const result = JSON.parse(text) as LabResult;
    if (!result.analysis && !result.error) return { error: `${what}: the codec returned neither an analysis nor an error` };
    return result;
  } catch (err) {
    return { error: `${what}: the codec returned invalid JSON: ${(err as Error).message}` };
  }
}

/** Whether the loaded codec has the Lab calls (an older wire.wasm would not). */
export function hasLab(wire: object): wire is LabWire {
  return typeof (wire as Partial<LabWire>).labBuild === 'function' && typeof (wire as Partial<LabWire>).labAnalyze === 'function';
}

export function makeLabCodec(wire: LabWire): LabCodec {
  return {
    build: (spec, window) => parse('labBuild', wire.labBuild(JSON.stringify(window ? { ...spec, window } : spec))),
    analyze: (request) => parse('labAnalyze', wire.labAnalyze(JSON.stringify(request))),
  };
}
