/**
 * Where reserved units sit (issue 24): an order's reservation of a product is held at stock locations, taken
 * from the locations in the managers' order of preference and given back from the least preferred first.
 * Pure; the repository runs these on rows it has locked (`db/repositories/stock.repository.ts`).
 */

/** Units of one product at one location: free to reserve, or held by an order. */
export interface Placed {
  location: string;
  quantity: number;
}

/**
 * Takes `quantity` units from the locations in order of preference (`free`: each location's unreserved
 * units, most preferred first), each as far as it goes. Answers the takes; they add up to less than
 * `quantity` when the locations together have less.
 */
export function takeFrom(free: readonly Placed[], quantity: number): Placed[] {
  const taken: Placed[] = [];
  let left = quantity;
  for (const { location, quantity: there } of free) {
    if (left <= 0) break;
    const take = Math.min(left, Math.max(0, there));
    if (take > 0) taken.push({ location, quantity: take });
    left -= take;
  }
  return taken;
}

/**
 * Reserves an order's lines (`lines`: product and units) at one location when one has all of them free, in
 * order of preference, so the order leaves in one parcel; else line by line as `takeFrom`. `free` maps each
 * product to its locations' free units, most preferred first. Answers the takes per product; null when the
 * locations together do not have a line.
 */
export function placeOrder(
  lines: readonly { productId: string; quantity: number }[],
  free: ReadonlyMap<string, readonly Placed[]>,
): Map<string, Placed[]> | null {
  const locations = [...new Set([...free.values()].flat().map((place) => place.location))];
  const freeAt = (productId: string, location: string) =>
    free.get(productId)?.find((place) => place.location === location)?.quantity ?? 0;
  const whole = locations.find((location) =>
    lines.every((line) => freeAt(line.productId, location) >= line.quantity),
  );
  const placed = new Map<string, Placed[]>();
  for (const line of lines) {
    if (line.quantity <= 0) continue;
    const taken = whole
      ? [{ location: whole, quantity: line.quantity }]
      : takeFrom(free.get(line.productId) ?? [], line.quantity);
    if (taken.reduce((sum, take) => sum + take.quantity, 0) < line.quantity) return null;
    placed.set(line.productId, merge(placed.get(line.productId) ?? [], taken));
  }
  return placed;
}

/**
 * Gives back `quantity` of an order's held units of one product (`held`: where they sit, most preferred
 * location first), from the least preferred location first, so what the order keeps stays where it would
 * have been reserved. Answers what is given back at each location.
 */
export function giveBack(held: readonly Placed[], quantity: number): Placed[] {
  return takeFrom([...held].reverse(), quantity);
}

/**
 * The units a shipment of `quantity` from `location` takes from the order's holding (`held`, most preferred
 * first): those held there first, then the rest from the least preferred other locations (those units are
 * then free there, and the shipment's location must have as many free of its own). Answers the takes and
 * how many came from elsewhere; null when the order does not hold `quantity` in all.
 */
export function takeForShipment(
  held: readonly Placed[],
  location: string,
  quantity: number,
): { taken: Placed[]; fromElsewhere: number } | null {
  const total = held.reduce((sum, place) => sum + place.quantity, 0);
  if (total < quantity) return null;
  const here = Math.min(quantity, held.find((place) => place.location === location)?.quantity ?? 0);
  const elsewhere = giveBack(
    held.filter((place) => place.location !== location),
    quantity - here,
  );
  return {
    taken: merge(here > 0 ? [{ location, quantity: here }] : [], elsewhere),
    fromElsewhere: quantity - here,
  };
}

/** Adds takes at the same location together. */
function merge(a: readonly Placed[], b: readonly Placed[]): Placed[] {
  const sums = new Map<string, number>();
  for (const { location, quantity } of [...a, ...b]) sums.set(location, (sums.get(location) ?? 0) + quantity);
  return [...sums].map(([location, quantity]) => ({ location, quantity }));
}
