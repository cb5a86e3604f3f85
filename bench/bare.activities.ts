/** The baseline's side effects: no-ops, so that the benchmark measures Temporal's round trips alone. */
export async function reserve(): Promise<void> {}
export async function charge(): Promise<void> {}
export async function fulfil(): Promise<void> {}
export async function archive(): Promise<void> {}
export async function notify(_status: string): Promise<void> {}
