// The second peer: a central system written with ocpp-rpc (Node), the way its
// README shows it (RPCServer, client.handle), with strictMode on: every CALL
// and every answer is validated against the official OCPP JSON schemas
// (ajv, date-times checked).  It answers what the benchmarks send and the
// usual messages of a charger's life; nothing is logged per message.
//
// Usage: node ocpp_rpc_csms.js --port PORT [--host 127.0.0.1]
//        [--heartbeat-interval 60] [--ping-interval 30] [--fanout-report FILE]
// On SIGUSR1 it sends GetConfiguration (1.6) or GetVariables (2.0.1) to every
// connected charger at once and writes how long the answers took, and their
// outcomes, to the --fanout-report file (bench/fanout.py).
// (bench/peers/node.py installs ocpp-rpc and builds this command.)

'use strict';

const fs = require('node:fs');
const { parseArgs } = require('node:util');
const { RPCServer } = require('ocpp-rpc');

const { values: options } = parseArgs({
    options: {
        port: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        'heartbeat-interval': { type: 'string', default: '60' },
        // ocpp-rpc's own default is 30 s; 0 sends no pings.
        'ping-interval': { type: 'string', default: '30' },
        'fanout-report': { type: 'string' },
    },
});
if (!options.port) {
    console.error('usage: node ocpp_rpc_csms.js --port PORT [--host HOST]');
    process.exit(2);
}
const heartbeatInterval = Number(options['heartbeat-interval']);

// No ocpp2.1: ocpp-rpc 2.2.1 ships its schemas with ids ("urn:XRequest") that
// its strict mode does not look up ("urn:X.req"), so every 2.1 CALL would get
// a ProtocolError (mikuso/ocpp-rpc pull request 94).  The benchmarks send none.
const server = new RPCServer({
    protocols: ['ocpp1.6', 'ocpp2.0.1'],
    strictMode: true,
    pingIntervalMs: Number(options['ping-interval']) * 1000,
});

let nextTransactionId = 1;
let validationFailures = 0;

const now = () => new Date().toISOString();

function handle16(client) {
    client.handle('BootNotification', () => ({
        status: 'Accepted',
        currentTime: now(),
        interval: heartbeatInterval,
    }));
    client.handle('Heartbeat', () => ({ currentTime: now() }));
    client.handle('StatusNotification', () => ({}));
    client.handle('Authorize', () => ({ idTagInfo: { status: 'Accepted' } }));
    client.handle('StartTransaction', () => ({
        transactionId: nextTransactionId++,
        idTagInfo: { status: 'Accepted' },
    }));
    client.handle('StopTransaction', () => ({}));
    client.handle('MeterValues', () => ({}));
}

function handle201(client) {
    client.handle('BootNotification', () => ({
        status: 'Accepted',
        currentTime: now(),
        interval: heartbeatInterval,
    }));
    client.handle('Heartbeat', () => ({ currentTime: now() }));
    client.handle('StatusNotification', () => ({}));
    client.handle('Authorize', () => ({ idTokenInfo: { status: 'Accepted' } }));
    client.handle('TransactionEvent', () => ({}));
    client.handle('MeterValues', () => ({}));
}

const connected = new Set();

async function fanOut(report) {
    const started = process.hrtime.bigint();
    const outcomes = await Promise.all([...connected].map(async (client) => {
        try {
            if (client.protocol === 'ocpp1.6') {
                await client.call('GetConfiguration', { key: ['HeartbeatInterval'] });
            } else {
                await client.call('GetVariables', {
                    getVariableData: [{
                        component: { name: 'OCPPCommCtrlr' },
                        variable: { name: 'HeartbeatInterval' },
                    }],
                });
            }
            return 'answered';
        } catch (error) {
            return error.name || 'Error';
        }
    }));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const counts = {};
    for (const outcome of outcomes) {
        counts[outcome] = (counts[outcome] || 0) + 1;
    }
    fs.writeFileSync(report, JSON.stringify({ seconds, outcomes: counts }));
}

if (options['fanout-report']) {
    process.on('SIGUSR1', () => {
        fanOut(options['fanout-report']).catch((error) => console.error(error));
    });
}

server.on('client', (client) => {
    connected.add(client);
    client.once('close', () => connected.delete(client));
    // The README asks strict mode's users to listen for these: a CALL or an
    // answer that failed its schema (the charger gets a CALLERROR).  Only the
    // first is shown, so that a bad run cannot flood the output.
    client.on('strictValidationFailure', ({ method, error, outbound }) => {
        if (validationFailures++ === 0) {
            const side = outbound ? 'our answer to' : 'the CALL';
            console.error(`ocpp-rpc peer: ${side} ${method} failed validation: ${error.message}`);
        }
    });
    if (client.protocol === 'ocpp1.6') {
        handle16(client);
    } else {
        handle201(client);
    }
});

process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));

server.listen(Number(options.port), options.host).catch((error) => {
    console.error(`ocpp-rpc peer: cannot listen on ${options.host}:${options.port}: ${error.message}`);
    process.exit(1);
});
