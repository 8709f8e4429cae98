from genbi.cli import main

main()
