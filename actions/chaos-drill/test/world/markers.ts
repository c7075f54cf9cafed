import type { FaultMarker, MarkerStore } from '../../src/markers.ts';

/** A MarkerStore in memory: what a crashed drill leaves behind, without a file system. */
export function memoryMarkers(): MarkerStore & { all(): FaultMarker[] } {
  const markers = new Map<string, FaultMarker>();
  return {
    put: async (m) => {
      markers.set(`${m.project}--${m.experiment}`, structuredClone(m));
    },
    remove: async (project, experiment) => {
      markers.delete(`${project}--${experiment}`);
    },
    list: async (project) => [...markers.values()].filter((m) => m.project === project),
    all: () => [...markers.values()],
  };
}
