// The state holder between the connection and the view: a synchronous store around the pure
// reducer. Key handlers read the current state from here (never from a render's closure), which is
// what keeps fast typing and pastes from being lost to stale React state.
import { useSyncExternalStore } from 'react';
import { initialState, reduce, type Action, type GameState } from './state.js';

export class GameStore {
  private state: GameState;
  private readonly listeners = new Set<() => void>();

  constructor(initial: GameState | Parameters<typeof initialState>[0]) {
    this.state = 'phase' in initial ? initial : initialState(initial);
  }

  readonly getState = (): GameState => this.state;

  dispatch(action: Action): void {
    const next = reduce(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const l of this.listeners) l();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

export function useGameState(store: GameStore): GameState {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
