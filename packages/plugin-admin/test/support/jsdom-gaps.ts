// jsdom has no layout engine: recharts' ResponsiveContainer needs ResizeObserver to exist.
// Real browsers (the end-to-end tier) exercise the real thing.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver;
