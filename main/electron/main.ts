// The Electron entry: built in a later step (issue 4). Nothing else may import 'electron'.
import { app } from 'electron';

void app.whenReady().then(() => app.quit());
