// vigil: the sensor's command line.
int main() { return 0; }
