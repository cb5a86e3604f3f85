import { giveBack, placeOrder, takeForShipment, takeFrom } from './allocation';

const at = (location: string, quantity: number) => ({ location, quantity });

describe('where reserved units sit', () => {
  it('takes from the locations in order of preference, each as far as it goes', () => {
    expect(takeFrom([at('MAIN', 8), at('EAST', 5)], 10)).toEqual([at('MAIN', 8), at('EAST', 2)]);
    expect(takeFrom([at('MAIN', 0), at('EAST', 5)], 3)).toEqual([at('EAST', 3)]);
    // Less than asked when the locations together have less; nothing from a location with none free.
    expect(takeFrom([at('MAIN', 1), at('EAST', -2)], 4)).toEqual([at('MAIN', 1)]);
    expect(takeFrom([at('MAIN', 5)], 0)).toEqual([]);
  });

  it('reserves an order at one location that has all of it, in order of preference, else line by line', () => {
    const free = new Map([
      ['tea', [at('MAIN', 8), at('EAST', 10)]],
      ['cup', [at('MAIN', 5), at('EAST', 1)]],
    ]);
    // MAIN has all of a small order: one parcel.
    expect(
      placeOrder(
        [
          { productId: 'tea', quantity: 2 },
          { productId: 'cup', quantity: 1 },
        ],
        free,
      ),
    ).toEqual(
      new Map([
        ['tea', [at('MAIN', 2)]],
        ['cup', [at('MAIN', 1)]],
      ]),
    );
    // Only EAST has ten tea and one cup: the order is held there whole, though MAIN comes first.
    expect(
      placeOrder(
        [
          { productId: 'tea', quantity: 10 },
          { productId: 'cup', quantity: 1 },
        ],
        free,
      ),
    ).toEqual(
      new Map([
        ['tea', [at('EAST', 10)]],
        ['cup', [at('EAST', 1)]],
      ]),
    );
    // No location has it all: line by line, MAIN first.
    expect(
      placeOrder(
        [
          { productId: 'tea', quantity: 12 },
          { productId: 'cup', quantity: 6 },
        ],
        free,
      ),
    ).toEqual(
      new Map([
        ['tea', [at('MAIN', 8), at('EAST', 4)]],
        ['cup', [at('MAIN', 5), at('EAST', 1)]],
      ]),
    );
    expect(placeOrder([{ productId: 'cup', quantity: 7 }], free)).toBeNull();
  });

  it('gives back from the least preferred location first', () => {
    expect(giveBack([at('MAIN', 8), at('EAST', 2)], 3)).toEqual([at('EAST', 2), at('MAIN', 1)]);
    expect(giveBack([at('MAIN', 8), at('EAST', 2)], 1)).toEqual([at('EAST', 1)]);
  });

  it("ships the order's units held at the shipment's location first, then those it holds elsewhere", () => {
    const held = [at('MAIN', 8), at('EAST', 2), at('WEST', 1)];
    expect(takeForShipment(held, 'MAIN', 5)).toEqual({ taken: [at('MAIN', 5)], fromElsewhere: 0 });
    // Two from EAST, and one more than EAST holds for the order: from the least preferred other location.
    expect(takeForShipment(held, 'EAST', 3)).toEqual({
      taken: [at('EAST', 2), at('WEST', 1)],
      fromElsewhere: 1,
    });
    // A location the order holds nothing at: all of it from elsewhere, least preferred first.
    expect(takeForShipment(held, 'NORTH', 2)).toEqual({
      taken: [at('WEST', 1), at('EAST', 1)],
      fromElsewhere: 2,
    });
    expect(takeForShipment(held, 'MAIN', 12)).toBeNull();
  });
});
