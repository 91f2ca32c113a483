// Several views of one run at once: the terminal (live or plain) and the projector page are fed
// the same states and closed together.
import type { TimelineData } from '../../observe/timeline.js';
import type { View, ViewState } from './types.js';

export function composeViews(...views: View[]): View {
  return {
    update(state: ViewState) {
      for (const view of views) view.update(state);
    },
    close(timeline: TimelineData) {
      for (const view of views) view.close(timeline);
    },
  };
}
