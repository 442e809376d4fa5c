// Exposes the typed API as window.loopwright: functions only, never ipcRenderer itself, and
// listeners receive payloads, not Electron event objects (STYLE.md rule 6).
import { contextBridge, ipcRenderer } from 'electron';
import { contract } from '../shared/ipc/contract';
import { createClient } from '../shared/ipc/client';
import { WIRE_CHANNEL, type ToRenderer } from '../shared/ipc/wire';


const api = createClient(contract, {
  send: (message) => ipcRenderer.send(WIRE_CHANNEL, message),
  onMessage: (handler) => {
    ipcRenderer.on(WIRE_CHANNEL, (_event, message: ToRenderer) => handler(message));
  },
});

contextBridge.exposeInMainWorld('loopwright', api);
