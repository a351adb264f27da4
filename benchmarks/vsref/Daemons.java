/** Starts daemon threads, so that a probe process exits when its main work is done. */
final class Daemons {
    private Daemons() {
    }

    static void start(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
