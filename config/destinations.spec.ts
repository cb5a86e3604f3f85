import { isInternalAddress } from './destinations';

describe('the webhook destination policy', () => {
  it('refuses NAT64 and 6to4 addresses, which lead to IPv4 addresses inside the network', () => {
    for (const address of [
      '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
      '64:ff9b::a00:5', // NAT64 of 10.0.0.5
      '64:ff9b:1::a9fe:a9fe', // local-use NAT64 of 169.254.169.254
      '2002:7f00:1::', // 6to4 of 127.0.0.1
      '2002:c0a8:101::1', // 6to4 of 192.168.1.1
    ])
      expect([address, isInternalAddress(address)]).toEqual([address, true]);
  });

  it('refuses loopback, private and link-local addresses, and lets public ones through', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '169.254.169.254', '::1', 'fe80::1', '::ffff:10.0.0.1'])
      expect([address, isInternalAddress(address)]).toEqual([address, true]);
    for (const address of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'])
      expect([address, isInternalAddress(address)]).toEqual([address, false]);
  });
});
