/**
 * An ARIA 1.2 combobox with a list popup, for the page's search box, its territory pickers and the
 * widget: the input keeps the focus, arrows move through the options (aria-activedescendant), Enter
 * picks, Escape closes, and a live region says how many options there are. Options are written with
 * textContent only: what a server sends can only ever be text.
 */
export interface ComboboxOptions<T> {
  input: HTMLInputElement;
  /** Unique within the input's document or shadow root. */
  id: string;
  load: (query: string, signal: AbortSignal) => Promise<T[]>;
  label: (option: T) => string;
  pick: (option: T) => void;
  /** "3 suggestions" in the page's language. */
  announce: (count: number) => string;
  minLength?: number;
}

export function attachCombobox<T>(options: ComboboxOptions<T>): void {
  const { input } = options;
  const owner = input.ownerDocument;
  const list = owner.createElement('ul');
  list.id = `${options.id}-list`;
  list.setAttribute('role', 'listbox');
  list.className = 'combo-list';
  list.hidden = true;
  const status = owner.createElement('span');
  status.setAttribute('role', 'status');
  status.className = 'visually-hidden';
  input.after(list, status);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', list.id);

  let found: T[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | undefined;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const highlight = (index: number) => {
    active = index;
    [...list.children].forEach((item, position) =>
      item.setAttribute('aria-selected', String(position === index)),
    );
    if (index >= 0) {
      input.setAttribute('aria-activedescendant', `${options.id}-option-${index}`);
      list.children[index]?.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const choose = (index: number) => {
    const option = found[index];
    if (option === undefined) return;
    close();
    options.pick(option);
  };
  const show = (options_: T[]) => {
    found = options_;
    list.replaceChildren(
      ...options_.map((option, index) => {
        const item = owner.createElement('li');
        item.id = `${options.id}-option-${index}`;
        item.setAttribute('role', 'option');
        item.setAttribute('aria-selected', 'false');
        item.textContent = options.label(option);
        // mousedown, not click: the input keeps the focus, so the list is not closed first by blur.
        item.addEventListener('mousedown', (event) => {
          event.preventDefault();
          choose(index);
        });
        return item;
      }),
    );
    const open = options_.length > 0;
    list.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    active = -1;
    status.textContent = options.announce(options_.length);
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const query = input.value.trim();
    if (query.length < (options.minLength ?? 2)) {
      inFlight?.abort();
      close();
      return;
    }
    // One request per pause in typing, the previous one abandoned.
    timer = setTimeout(() => {
      inFlight?.abort();
      inFlight = new AbortController();
      options.load(query, inFlight.signal).then(show, () => undefined);
    }, 150);
  });
  input.addEventListener('keydown', (event) => {
    const open = !list.hidden;
    if (event.key === 'ArrowDown' && found.length > 0) {
      event.preventDefault();
      if (!open) {
        list.hidden = false;
        input.setAttribute('aria-expanded', 'true');
      }
      highlight((active + 1) % found.length);
    } else if (event.key === 'ArrowUp' && open) {
      event.preventDefault();
      highlight(active <= 0 ? found.length - 1 : active - 1);
    } else if (event.key === 'Enter' && open && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === 'Enter') {
      // The form is submitted as typed: suggestions still on their way would cover the results.
      clearTimeout(timer);
      inFlight?.abort();
      close();
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', close);
}
