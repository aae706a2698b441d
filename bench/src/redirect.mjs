// Preloaded (`node --import`) into every benchmark process that sends: the provider host names in
// BENCH_HOSTS resolve to 127.0.0.1, for ours and the official connector alike, before any connector
// module loads. Everything else (TLS with SNI and certificate checks, HTTP/1.1 keep-alive, the
// client library of each side) runs as it would against the real provider.
import dns from 'node:dns';
import net from 'node:net';

const hosts = new Set((process.env.BENCH_HOSTS ?? '').split(',').filter(Boolean));
const port = Number(process.env.BENCH_PORT ?? 443);
const loopback = '127.0.0.1';

const originalLookup = dns.lookup;
dns.lookup = function lookup(hostname, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = {};
  } else if (typeof options === 'number') {
    options = { family: options };
  }
  if (!hosts.has(String(hostname).toLowerCase())) {
    return originalLookup.call(this, hostname, options ?? {}, callback);
  }
  if (options?.all) {
    process.nextTick(callback, null, [{ address: loopback, family: 4 }]);
  } else {
    process.nextTick(callback, null, loopback, 4);
  }
  return undefined;
};

const originalPromiseLookup = dns.promises.lookup;
dns.promises.lookup = async function lookup(hostname, options) {
  if (!hosts.has(String(hostname).toLowerCase())) {
    return originalPromiseLookup.call(this, hostname, options);
  }
  return options?.all ? [{ address: loopback, family: 4 }] : { address: loopback, family: 4 };
};

// Without the right to bind 443 (not root), the responder listens on another port: connections to a
// redirected host on 443 are sent there. The TLS layer still checks the certificate for the host name.
if (port !== 443) {
  const originalConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function connect(...args) {
    const options = Array.isArray(args[0]) ? args[0][0] : args[0];
    if (
      options &&
      typeof options === 'object' &&
      hosts.has(String(options.host ?? '').toLowerCase()) &&
      Number(options.port ?? 443) === 443
    ) {
      options.port = port;
    }
    return originalConnect.apply(this, args);
  };
}
