// The preload bridge: built in a later step (issue 4).
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('vigil', {});
